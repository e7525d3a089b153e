# syntax=docker/dockerfile:1
#
# deeptrain image. BuildKit (Docker 23+ default) builds only the stages the chosen backend needs.
#   CPU (default):  docker build -t deeptrain .
#   CUDA 11.6:      docker build --build-arg BACKEND=cuda -t deeptrain:cuda .
# BACKEND is also the Maven profile: cpu (ND4J with oneDNN) or cuda (nd4j-cuda-11.6, cuDNN helpers).
# No datasets are copied in (.dockerignore); mount them, or download into the /data volume.
ARG BACKEND=cpu

# ---- build: Maven with a dependency layer that changes only when pom.xml does ----
FROM eclipse-temurin:17-jdk-jammy AS build
ARG BACKEND
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -q -P${BACKEND} dependency:go-offline
COPY src/main/ src/main/
# Tests run in CI (./mvnw -B verify), not in the image build: they need datasets and ~8 minutes.
# Spring Boot's tools extract the jar into layers (dependencies, loader, snapshots, application)
# with an application.jar whose manifest class path names lib/*.jar.
RUN ./mvnw -B -q -P${BACKEND} -Dmaven.test.skip=true -Dcodegen.skip=true package \
 && cp target/deeptrain-*.jar application.jar \
 && java -Djarmode=tools -jar application.jar extract --layers --destination /extracted
# The bytedeco CUDA redistributable (~1.8 GB) duplicates the CUDA 11.6 and cuDNN 8 libraries the
# nvidia/cuda base image has; without its jar JavaCPP loads the system ones (a class path entry
# that does not exist is skipped by the JVM).
RUN if [ "${BACKEND}" = cuda ]; then rm -v /extracted/dependencies/lib/cuda-*-redist.jar; fi

# ---- runtime bases, one per backend ----
FROM eclipse-temurin:17-jre-jammy AS runtime-cpu

# CUDA 11.6 runtime + cuDNN 8 (ubuntu 20.04: the newest OS NVIDIA built 11.6 for). nd4j-cuda-11.6
# was built against cuDNN 8.3; cuDNN keeps binary compatibility within major version 8. The host
# needs only the NVIDIA driver (>= 510) and the NVIDIA Container Toolkit.
FROM nvidia/cuda:11.6.2-cudnn8-runtime-ubuntu20.04 AS runtime-cuda
# Temurin's JRE runs on any glibc >= 2.17, so the same JRE 17 as the CPU image is copied in.
ENV JAVA_HOME=/opt/java/openjdk
COPY --from=eclipse-temurin:17-jre-jammy /opt/java/openjdk /opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"

# ---- the image ----
FROM runtime-${BACKEND}
ARG BACKEND
# curl for the HEALTHCHECK (the bases do not all carry it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Non-root, and it must be: the embedded PostgreSQL (used when SPRING_DATASOURCE_URL is unset)
# refuses to run as root. A fixed uid lets Kubernetes' runAsNonRoot check it.
RUN groupadd --system --gid 10001 deeptrain \
 && useradd --system --uid 10001 --gid deeptrain --create-home --home-dir /home/deeptrain deeptrain \
 && mkdir -p /data/datasets /data/postgres \
 && chown -R deeptrain:deeptrain /data
WORKDIR /app
# Spring Boot's layers, least to most often changed, so a code change rebuilds only the last.
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./

# Everything the service writes lives under /data: downloaded datasets, and the embedded
# PostgreSQL when no external database is configured. JavaCPP extracts its native libraries
# (~0.5 GB) into ~/.javacpp on first start.
VOLUME /data
ENV DEEPTRAIN_DATASETS_DIR=/data/datasets \
    DEEPTRAIN_EMBEDDEDPOSTGRES_DATADIR=/data/postgres

# Memory, as shares of the container limit L: heap 30% (MaxRAMPercentage); ND4J's off-heap arrays,
# outside the heap, at most 150% of the heap = 45% L (javacpp.maxbytes, for what JavaCPP counts);
# and allocation stops with an OutOfMemoryError in the job, rather than a kernel OOM kill of the
# container, once the process resident size reaches 290% of the heap = 87% L
# (javacpp.maxphysicalbytes; less the heap, 190% = 57% L, is the memory /api/v1/devices reports on
# CPU and job admission checks, since libnd4j's CPU tensors bypass maxbytes). The remaining ~25% is
# for metaspace, threads and the native libraries. Give the container at least 2 GB (4 GB+ for
# CNNs); on CUDA, maxbytes bounds host memory only, GPU memory is the device's.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=30 -XX:+ExitOnOutOfMemoryError -Dorg.bytedeco.javacpp.maxbytes=150% -Dorg.bytedeco.javacpp.maxphysicalbytes=290%"
# OpenMP would otherwise start one spinning thread per host core, not per container CPU.
# deeptrain.compute.threads (default 1) sets each worker's native threads; with a CPU limit C and
# DEEPTRAIN_JOBS_WORKERS=W, set DEEPTRAIN_COMPUTE_THREADS to C / W. PASSIVE stops idle threads
# spinning, which Java cannot set.
ENV OMP_NUM_THREADS=1 \
    OMP_WAIT_POLICY=PASSIVE
LABEL io.deeptrain.backend=${BACKEND}

USER 10001:10001
EXPOSE 8080
# Liveness, not readiness: readiness waits for the preloaded models, which is no reason to restart.
# start-period covers the first start's native library extraction and Flyway migrations.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health/liveness || exit 1
# SIGTERM reaches the JVM directly (exec form), so graceful shutdown hands running jobs back.
ENTRYPOINT ["java", "-jar", "/app/application.jar"]
