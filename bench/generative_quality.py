"""Driver of bench/generative-quality: starts the packaged service on its own embedded PostgreSQL,
submits one job per generative family, waits, and reports the sample-quality metrics each job
ended with. Standard library only."""

import argparse
import base64
import datetime
import glob
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

# The configurations the figures are measured with (README shows the resulting grids).
JOBS = {
    "vae": {
        "name": "bench-vae",
        "dataset": "fashion-mnist",
        "spec": {"type": "VAE", "architecture": "DENSE", "hidden": [400], "latentSize": 20,
                 "reconstruction": "BERNOULLI", "latentLoss": "ENERGY_DISTANCE",
                 "latentWeight": 100.0},
        "training": {"epochs": 20, "batchSize": 128, "optimizer": "ADAM", "learningRate": 0.001,
                     "seed": 1},
    },
    "gan": {
        "name": "bench-gan",
        "dataset": "fashion-mnist",
        "spec": {"type": "GAN", "architecture": "DENSE", "latentSize": 64,
                 "generator": {"hidden": [256, 512], "learningRate": 0.0004, "beta1": 0.5},
                 "discriminator": {"hidden": [512, 256], "learningRate": 0.0002, "beta1": 0.5},
                 "labelSmoothing": 0.1, "discriminatorSteps": 1},
        "training": {"epochs": 15, "batchSize": 64, "seed": 1},
    },
    "diffusion": {
        "name": "bench-diffusion",
        "dataset": "fashion-mnist",
        "spec": {"type": "DIFFUSION", "timesteps": 1000, "betaSchedule": "COSINE",
                 "channels": [16, 32, 64], "timeEmbeddingSize": 64},
        "training": {"epochs": 2, "batchSize": 32, "optimizer": "ADAM", "learningRate": 0.002,
                     "maxTrainExamples": 45000, "seed": 1},
    },
}

QUALITY = ["frechet_distance", "frechet_distance_noise", "frechet_distance_test",
           "reference_confidence"]


def call(base, method, path, body=None, accept="application/json"):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json", "Accept": accept})
    with urllib.request.urlopen(req, timeout=600) as resp:
        raw = resp.read()
        return raw if accept == "image/png" else json.loads(raw)


def wait_up(base, proc, timeout=180):
    start = time.time()
    while time.time() - start < timeout:
        if proc.poll() is not None:
            sys.exit("the service exited during startup; see target/bench-service.log")
        try:
            if call(base, "GET", "/actuator/health").get("status") == "UP":
                return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(1)
    sys.exit("the service did not come up in %d s" % timeout)


def run_job(base, key, spec):
    job = call(base, "POST", "/api/v1/jobs", spec)
    print("%-10s job %s queued" % (key, job["id"]), flush=True)
    while True:
        time.sleep(5)
        job = call(base, "GET", "/api/v1/jobs/" + job["id"])
        if job["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return job


def seconds(job):
    parse = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return (parse(job["finishedAt"]) - parse(job["startedAt"])).total_seconds()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help="comma-separated families, e.g. vae,gan (default: all)")
    parser.add_argument("--port", type=int, default=18086)
    args = parser.parse_args()
    jar = sorted(glob.glob("target/deeptrain-*.jar"))[0]
    base = "http://localhost:%d" % args.port
    log = open("target/bench-service.log", "w")
    proc = subprocess.Popen(
        ["java", "-jar", jar, "--server.port=%d" % args.port,
         "--deeptrain.embedded-postgres.data-dir=target/bench-postgres"],
        stdout=log, stderr=subprocess.STDOUT)
    rows = []
    os.makedirs("docs/images", exist_ok=True)
    try:
        wait_up(base, proc)
        families = args.only.split(",") if args.only else list(JOBS)
        unknown = [f for f in families if f not in JOBS]
        if unknown:
            sys.exit("unknown families %s; choose from %s" % (unknown, sorted(JOBS)))
        for key in families:
            job = run_job(base, key, JOBS[key])
            if job["status"] != "SUCCEEDED":
                rows.append({"family": key, "status": job["status"], "error": job.get("error")})
                print("%-10s %s: %s" % (key, job["status"], job.get("error")), flush=True)
                continue
            model = call(base, "GET", "/api/v1/models/" + job["modelId"])
            metrics = model["metrics"]
            if key == "diffusion":
                png = call(base, "POST", "/api/v1/models/%s/sample" % job["modelId"],
                           {"n": 64, "steps": 50, "sampler": "DDPM", "seed": 7}, "image/png")
            else:
                png = call(base, "POST", "/api/v1/models/%s/generate" % job["modelId"],
                           {"n": 64, "seed": 7}, "image/png")
            with open("docs/images/%s-fashion-mnist.png" % key, "wb") as f:
                f.write(png)
            row = {"family": key, "status": job["status"], "job_seconds": seconds(job),
                   "epochs": job["training"]["epochs"], "spec": JOBS[key]["spec"],
                   "training": JOBS[key]["training"]}
            row.update({m: metrics.get(m) for m in QUALITY})
            rows.append(row)
            print("%-10s done in %.0f s: %s" % (key, row["job_seconds"],
                  {m: row[m] for m in QUALITY}), flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    lines = ["family     epochs    job_s  FD(samples)  FD(noise)  FD(test/test)  "
             "FD/FD(noise)  ref_confidence"]
    for r in rows:
        if r["status"] != "SUCCEEDED":
            lines.append("%-10s %s: %s" % (r["family"], r["status"], r.get("error")))
            continue
        lines.append("%-10s %6d  %7.0f  %11.2f  %9.2f  %13.2f  %12.3f  %14.3f" % (
            r["family"], r["epochs"], r["job_seconds"], r["frechet_distance"],
            r["frechet_distance_noise"], r["frechet_distance_test"],
            r["frechet_distance"] / r["frechet_distance_noise"], r["reference_confidence"]))
    table = "\n".join(lines)
    print(table)
    day = datetime.date.today().isoformat()
    os.makedirs("bench/results", exist_ok=True)
    header = "OMP_NUM_THREADS=%s, %d cores\n" % (os.environ.get("OMP_NUM_THREADS"),
                                                   os.cpu_count())
    suffix = "" if not args.only else "-" + args.only.replace(",", "-")
    with open("bench/results/generative-quality-%s%s.txt" % (day, suffix), "w") as f:
        f.write(header + table + "\n")
    with open("bench/results/generative-quality-%s%s.json" % (day, suffix), "w") as f:
        json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
