package io.deeptrain.inference;

import io.deeptrain.system.ApiException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges concurrent requests to one network into batches, run on the batcher's own thread (a DL4J
 * network serves one call at a time). A batch takes requests whose rows have the same shape, up to
 * {@code maxBatchSize} rows or until {@code maxDelay} after its first request; each request gets
 * its own rows of the output back. A request still queued at its deadline is dropped unexecuted.
 */
final class MicroBatcher {

  private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

  /** Retry-After for a full queue or an expired deadline: the queue drains in milliseconds. */
  static final Duration RETRY_SOON = Duration.ofSeconds(1);

  /** The network call: input {@code [n, rowShape...]} as a flat c-order array, and its output. */
  @FunctionalInterface
  interface Network {
    Tensor output(Tensor input);
  }

  /** A dense c-order array: {@code shape[0]} rows. */
  record Tensor(float[] data, long[] shape) {
    int rows() {
      return (int) shape[0];
    }

    long[] rowShape() {
      return Arrays.copyOfRange(shape, 1, shape.length);
    }
  }

  /** Thrown to a request arriving after the batcher shut down (its model was unloaded). */
  static final class Closed extends ApiException {
    Closed(String name) {
      super(
          Problem.MODEL_UNAVAILABLE,
          "model " + name + " was unloaded while the request waited; send it again");
      retryAfter(RETRY_SOON);
    }
  }

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int DROPPED = 2;

  private static final class Pending {
    final Tensor input;
    final long deadline;
    final AtomicInteger state = new AtomicInteger(QUEUED);
    final CompletableFuture<Tensor> result = new CompletableFuture<>();

    Pending(Tensor input, long deadline) {
      this.input = input;
      this.deadline = deadline;
    }
  }

  private final String name;
  private final Network network;
  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final BlockingQueue<Pending> queue;
  private final Thread thread;
  private final Runnable onExit;
  private final IntConsumer batchRows;
  private volatile boolean closing;
  private volatile boolean abort;

  /**
   * @param batchRows told the rows of each batch run (a metric)
   * @param onExit run on the batcher's thread after its last batch (releases the network)
   */
  MicroBatcher(
      String name,
      Network network,
      InferenceProperties.Batching settings,
      Duration requestTimeout,
      ThreadFactory threads,
      LongSupplier nanoTime,
      IntConsumer batchRows,
      Runnable onExit) {
    this.name = name;
    this.network = network;
    this.maxBatchSize = settings.maxBatchSize();
    this.maxDelayNanos = settings.maxDelay().toNanos();
    this.timeoutNanos = requestTimeout.toNanos();
    this.nanoTime = nanoTime;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.onExit = onExit;
    this.batchRows = batchRows;
    this.thread = threads.newThread(this::run);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The output rows of {@code input}, computed in a batch with other requests' rows.
   *
   * @throws ApiException 503 with Retry-After when the queue is full or the deadline passes first
   */
  Tensor infer(Tensor input) {
    if (closing) {
      throw new Closed(name);
    }
    Pending p = new Pending(input, nanoTime.getAsLong() + timeoutNanos);
    if (!queue.offer(p)) {
      throw new ApiException(
              ApiException.Problem.MODEL_UNAVAILABLE,
              "model "
                  + name
                  + " has "
                  + queue.size()
                  + " requests waiting (deeptrain.inference.batching.queue-capacity); try again"
                  + " shortly")
          .retryAfter(RETRY_SOON);
    }
    if (closing && p.state.compareAndSet(QUEUED, DROPPED)) {
      queue.remove(p);
      throw new Closed(name);
    }
    try {
      return await(p);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.state.compareAndSet(QUEUED, DROPPED);
      throw unavailable("the request was interrupted");
    }
  }

  private Tensor await(Pending p) throws InterruptedException {
    try {
      return p.result.get(Math.max(0, p.deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (p.state.compareAndSet(QUEUED, DROPPED)) {
        queue.remove(p);
        throw expired();
      }
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
    // Already running: a batch ends, but a waiting thread must not hang on a stuck one either.
    try {
      return p.result.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw unavailable(
          "its batch ran longer than deeptrain.inference.request-timeout (" + timeout() + ")");
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  /** Requests waiting (not yet in a batch). */
  int queued() {
    return queue.size();
  }

  /**
   * Stops taking requests; those already queued still run, then the thread ends and runs {@code
   * onExit}.
   */
  void shutdown() {
    closing = true;
  }

  /** Stops at once: queued requests get a 503 and the thread ends after the current batch. */
  void shutdownNow() {
    closing = true;
    abort = true;
    thread.interrupt();
  }

  /** Waits for the thread to end; true when it did within the time. */
  boolean awaitTermination(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  private void run() {
    Deque<Pending> carried = new ArrayDeque<>();
    try {
      while (!abort) {
        Pending first = carried.pollFirst();
        if (first == null) {
          try {
            first = queue.poll(50, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            if (abort) {
              break;
            }
            continue;
          }
        }
        if (first == null) {
          if (closing && queue.isEmpty()) {
            break;
          }
          continue;
        }
        if (!admit(first)) {
          continue;
        }
        List<Pending> batch = new ArrayList<>();
        batch.add(first);
        int rows = first.input.rows();
        long[] rowShape = first.input.rowShape();
        Deque<Pending> later = new ArrayDeque<>();
        for (Pending p = carried.pollFirst(); p != null; p = carried.pollFirst()) {
          rows += take(p, batch, rows, rowShape, later);
        }
        long until = nanoTime.getAsLong() + maxDelayNanos;
        // Requests of another shape wait for a later batch; stop looking when enough of them pile
        // up.
        while (rows < maxBatchSize && later.size() < maxBatchSize && !abort) {
          long wait = until - nanoTime.getAsLong();
          Pending p;
          try {
            p = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
          } catch (InterruptedException e) {
            break;
          }
          if (p == null) {
            break;
          }
          rows += take(p, batch, rows, rowShape, later);
        }
        carried = later;
        execute(batch, rows);
      }
    } finally {
      List<Pending> left = new ArrayList<>(carried);
      queue.drainTo(left);
      for (Pending p : left) {
        if (p.state.compareAndSet(QUEUED, DROPPED)) {
          p.result.completeExceptionally(new Closed(name));
        }
      }
      try {
        onExit.run();
      } catch (RuntimeException e) {
        log.warn("Releasing model {} failed: {}", name, e.getMessage());
      }
    }
  }

  /** Adds {@code p} to the batch when it fits (returning its rows), else keeps it for later. */
  private int take(
      Pending p, List<Pending> batch, int rows, long[] rowShape, Deque<Pending> later) {
    boolean fits =
        Arrays.equals(p.input.rowShape(), rowShape) && rows + p.input.rows() <= maxBatchSize;
    if (!fits) {
      later.addLast(p);
      return 0;
    }
    if (!admit(p)) {
      return 0;
    }
    batch.add(p);
    return p.input.rows();
  }

  /** Claims a queued request for a batch; one past its deadline is dropped with a 503. */
  private boolean admit(Pending p) {
    if (nanoTime.getAsLong() - p.deadline >= 0) {
      if (p.state.compareAndSet(QUEUED, DROPPED)) {
        p.result.completeExceptionally(expired());
      }
      return false;
    }
    return p.state.compareAndSet(QUEUED, RUNNING);
  }

  private void execute(List<Pending> batch, int rows) {
    batchRows.accept(rows);
    try {
      if (batch.size() == 1) {
        Pending only = batch.get(0);
        only.result.complete(chunked(only.input));
        return;
      }
      long[] rowShape = batch.get(0).input.rowShape();
      int width = batch.get(0).input.data().length / batch.get(0).input.rows();
      float[] data = new float[rows * width];
      int offset = 0;
      for (Pending p : batch) {
        float[] d = p.input.data();
        System.arraycopy(d, 0, data, offset, d.length);
        offset += d.length;
      }
      Tensor out = network.output(new Tensor(data, withRows(rows, rowShape)));
      int outWidth = out.data().length / rows;
      long[] outRowShape = out.rowShape();
      int at = 0;
      for (Pending p : batch) {
        int n = p.input.rows();
        float[] mine = Arrays.copyOfRange(out.data(), at * outWidth, (at + n) * outWidth);
        p.result.complete(new Tensor(mine, withRows(n, outRowShape)));
        at += n;
      }
    } catch (RuntimeException | Error e) {
      log.warn("Batch of {} rows on model {} failed: {}", rows, name, e.toString());
      for (Pending p : batch) {
        p.result.completeExceptionally(e);
      }
    }
  }

  /** A request larger than the batch limit runs alone, {@code maxBatchSize} rows at a time. */
  private Tensor chunked(Tensor input) {
    int n = input.rows();
    if (n <= maxBatchSize) {
      return network.output(input);
    }
    int width = input.data().length / n;
    long[] rowShape = input.rowShape();
    float[] data = null;
    long[] outRowShape = null;
    int outWidth = 0;
    for (int start = 0; start < n; start += maxBatchSize) {
      int m = Math.min(maxBatchSize, n - start);
      float[] part = Arrays.copyOfRange(input.data(), start * width, (start + m) * width);
      Tensor out = network.output(new Tensor(part, withRows(m, rowShape)));
      if (data == null) {
        outWidth = out.data().length / m;
        outRowShape = out.rowShape();
        data = new float[n * outWidth];
      }
      System.arraycopy(out.data(), 0, data, start * outWidth, m * outWidth);
    }
    return new Tensor(data, withRows(n, outRowShape));
  }

  private static long[] withRows(int rows, long[] rowShape) {
    long[] shape = new long[rowShape.length + 1];
    shape[0] = rows;
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    return shape;
  }

  private ApiException expired() {
    return unavailable(
        "it waited longer than deeptrain.inference.request-timeout ("
            + timeout()
            + ") in the queue and was not executed");
  }

  private ApiException unavailable(String why) {
    return new ApiException(
            ApiException.Problem.MODEL_UNAVAILABLE, "model " + name + " did not answer: " + why)
        .retryAfter(RETRY_SOON);
  }

  private String timeout() {
    return Duration.ofNanos(timeoutNanos).toString().substring(2).toLowerCase();
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(cause);
  }
}
