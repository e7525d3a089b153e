package io.deeptrain.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deeptrain.system.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroBatcherTests {

  /**
   * A network whose output row is [sum of the input row, first value of it], recording each batch;
   * its first call blocks until released so that requests can pile up behind it.
   */
  static final class FakeNetwork implements MicroBatcher.Network {
    final List<long[]> batches = Collections.synchronizedList(new ArrayList<>());
    final List<float[]> inputs = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile RuntimeException failure;

    @Override
    public MicroBatcher.Tensor output(MicroBatcher.Tensor input) {
      batches.add(input.shape());
      inputs.add(input.data());
      entered.countDown();
      try {
        release.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw failure;
      }
      int n = input.rows();
      int width = input.data().length / n;
      float[] out = new float[n * 2];
      for (int r = 0; r < n; r++) {
        float sum = 0;
        for (int k = 0; k < width; k++) {
          sum += input.data()[r * width + k];
        }
        out[2 * r] = sum;
        out[2 * r + 1] = input.data()[r * width];
      }
      return new MicroBatcher.Tensor(out, new long[] {n, 2});
    }

    List<Long> batchRows() {
      return batches.stream().map(s -> s[0]).toList();
    }
  }

  final FakeNetwork network = new FakeNetwork();
  final AtomicLong clock = new AtomicLong();
  final CountDownLatch exited = new CountDownLatch(1);
  MicroBatcher batcher;

  MicroBatcher batcher(int maxBatch, Duration maxDelay, int queue) {
    batcher =
        new MicroBatcher(
            "fake",
            network,
            new InferenceProperties.Batching(maxBatch, maxDelay, queue),
            Duration.ofMinutes(10),
            Thread::new,
            clock::get,
            rows -> {},
            exited::countDown);
    return batcher;
  }

  @AfterEach
  void stop() {
    network.release.countDown();
    if (batcher != null) {
      batcher.shutdownNow();
    }
  }

  static MicroBatcher.Tensor rows(float... firstValues) {
    // Rows of width 3: [v, 1, 1], so the output is [v + 2, v].
    float[] data = new float[firstValues.length * 3];
    for (int r = 0; r < firstValues.length; r++) {
      data[3 * r] = firstValues[r];
      data[3 * r + 1] = 1;
      data[3 * r + 2] = 1;
    }
    return new MicroBatcher.Tensor(data, new long[] {firstValues.length, 3});
  }

  CompletableFuture<MicroBatcher.Tensor> submit(MicroBatcher.Tensor input) {
    return CompletableFuture.supplyAsync(() -> batcher.infer(input), r -> new Thread(r).start());
  }

  /** Holds the batcher's thread in a first batch, then queues {@code n} requests behind it. */
  List<CompletableFuture<MicroBatcher.Tensor>> queueBehindFirst(List<MicroBatcher.Tensor> inputs)
      throws InterruptedException {
    submit(rows(100));
    assertThat(network.entered.await(1, TimeUnit.MINUTES)).isTrue();
    List<CompletableFuture<MicroBatcher.Tensor>> results = new ArrayList<>();
    for (MicroBatcher.Tensor input : inputs) {
      results.add(submit(input));
      awaitQueued(results.size());
    }
    return results;
  }

  void awaitQueued(int n) throws InterruptedException {
    while (batcher.queued() < n) {
      Thread.sleep(1);
    }
  }

  @Test
  void shouldMergeQueuedRequestsIntoOneBatchAndGiveEachItsOwnRows() throws Exception {
    batcher(32, Duration.ofMillis(1), 16);
    var results = queueBehindFirst(List.of(rows(1), rows(2, 3), rows(4)));
    network.release.countDown();

    assertThat(results.get(0).get().data()).containsExactly(3, 1);
    assertThat(results.get(1).get().data()).containsExactly(4, 2, 5, 3);
    assertThat(results.get(1).get().shape()).containsExactly(2, 2);
    assertThat(results.get(2).get().data()).containsExactly(6, 4);
    assertThat(network.batchRows()).containsExactly(1L, 4L);
  }

  @Test
  void shouldNotMergeMoreRowsThanTheMaxBatchSize() throws Exception {
    batcher(2, Duration.ofMillis(1), 16);
    var results = queueBehindFirst(List.of(rows(1), rows(2), rows(3)));
    network.release.countDown();

    for (int i = 0; i < 3; i++) {
      assertThat(results.get(i).get().data()).containsExactly(i + 3, i + 1);
    }
    assertThat(network.batchRows()).containsExactly(1L, 2L, 1L);
  }

  @Test
  void shouldRunALoneRequestAfterTheMaxDelayWithoutWaitingForAFullBatch() {
    batcher(32, Duration.ofMillis(1), 16);
    network.release.countDown();

    assertThat(batcher.infer(rows(7)).data()).containsExactly(9, 7);
    assertThat(network.batchRows()).containsExactly(1L);
  }

  @Test
  void shouldRunARequestLargerThanTheMaxBatchInChunksKeepingItsRowOrder() {
    batcher(2, Duration.ofMillis(1), 16);
    network.release.countDown();

    MicroBatcher.Tensor out = batcher.infer(rows(1, 2, 3, 4, 5));

    assertThat(out.data()).containsExactly(3, 1, 4, 2, 5, 3, 6, 4, 7, 5);
    assertThat(network.batchRows()).containsExactly(2L, 2L, 1L);
  }

  @Test
  void shouldNotMergeRequestsWhoseRowsHaveDifferentShapes() throws Exception {
    batcher(32, Duration.ofMillis(1), 16);
    // Sequences of 3 and of 5 steps (one feature): [n, 1, steps].
    var three = new MicroBatcher.Tensor(new float[] {1, 1, 1}, new long[] {1, 1, 3});
    var five = new MicroBatcher.Tensor(new float[] {2, 2, 2, 2, 2}, new long[] {1, 1, 5});
    var results = queueBehindFirst(List.of(three, five, three));
    network.release.countDown();

    assertThat(results.get(0).get().data()).containsExactly(3, 1);
    assertThat(results.get(1).get().data()).containsExactly(10, 2);
    assertThat(results.get(2).get().data()).containsExactly(3, 1);
    assertThat(network.batches).hasSize(3);
    assertThat(network.batches.get(1)).containsExactly(2, 1, 3);
    assertThat(network.batches.get(2)).containsExactly(1, 1, 5);
  }

  @Test
  void shouldDropARequestWhoseDeadlinePassedInTheQueueWithoutExecutingIt() throws Exception {
    batcher(32, Duration.ofMillis(1), 16);
    var late = queueBehindFirst(List.of(rows(42))).get(0);
    clock.addAndGet(Duration.ofMinutes(11).toNanos());
    network.release.countDown();

    assertThatThrownBy(late::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("deeptrain.inference.request-timeout")
        .hasMessageContaining("not executed")
        .satisfies(
            e -> {
              assertThat(((ApiException) e).problem())
                  .isEqualTo(ApiException.Problem.MODEL_UNAVAILABLE);
              assertThat(((ApiException) e).retryAfter()).isNotNull();
            });
    assertThat(network.batchRows()).containsExactly(1L);
    assertThat(network.inputs).noneMatch(in -> in[0] == 42);
  }

  @Test
  void shouldAnswer503WithRetryAfterWhenTheQueueIsFull() throws Exception {
    batcher(32, Duration.ofMillis(1), 1);
    var queued = queueBehindFirst(List.of(rows(1))).get(0);

    assertThatThrownBy(() -> batcher.infer(rows(2)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("queue-capacity")
        .satisfies(e -> assertThat(((ApiException) e).retryAfter()).isNotNull());
    network.release.countDown();
    assertThat(queued.get().data()).containsExactly(3, 1);
  }

  @Test
  void shouldReportAFailedBatchToEveryRequestInIt() throws Exception {
    batcher(32, Duration.ofMillis(1), 16);
    network.failure = new IllegalStateException("native failure");
    var results = queueBehindFirst(List.of(rows(1), rows(2)));
    network.release.countDown();

    for (var r : results) {
      assertThatThrownBy(r::get).cause().hasMessage("native failure");
    }
  }

  @Test
  void shouldFinishQueuedRequestsOnShutdownThenRefuseNewOnesAndReleaseTheNetwork()
      throws Exception {
    batcher(32, Duration.ofMillis(1), 16);
    var queued = queueBehindFirst(List.of(rows(1))).get(0);
    batcher.shutdown();

    assertThatThrownBy(() -> batcher.infer(rows(2))).isInstanceOf(MicroBatcher.Closed.class);
    network.release.countDown();
    assertThat(queued.get().data()).containsExactly(3, 1);
    assertThat(exited.await(1, TimeUnit.MINUTES)).isTrue();
    assertThat(batcher.awaitTermination(Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void shouldFailQueuedRequestsOnImmediateShutdown() throws Exception {
    batcher(32, Duration.ofMillis(1), 16);
    var queued = queueBehindFirst(List.of(rows(1))).get(0);
    batcher.shutdownNow();
    network.release.countDown();

    assertThatThrownBy(queued::get).cause().isInstanceOf(MicroBatcher.Closed.class);
    assertThat(exited.await(1, TimeUnit.MINUTES)).isTrue();
  }
}
