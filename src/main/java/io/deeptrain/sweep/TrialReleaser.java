package io.deeptrain.sweep;

import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Polls running sweeps: when children finish, pending trials take their slots; when all have
 * finished, the sweep is SUCCEEDED. Polling the database rather than hearing of finished jobs means
 * the job feature knows nothing of sweeps, and no finish is missed whichever replica (or reaper)
 * ended the job, or if this replica was down at the time. Every replica polls; the sweep's row lock
 * lets one at a time release its trials.
 */
@Component
class TrialReleaser implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TrialReleaser.class);

  private final SweepService sweeps;
  private final SweepRepository repository;
  private final SweepProperties props;
  private volatile ScheduledExecutorService scheduler;

  TrialReleaser(SweepService sweeps, SweepRepository repository, SweepProperties props) {
    this.sweeps = sweeps;
    this.repository = repository;
    this.props = props;
  }

  void poll() {
    for (UUID id : repository.running()) {
      try {
        sweeps.advance(id);
      } catch (RuntimeException e) {
        log.warn("Sweep {} could not be advanced: {}", id, e.getMessage());
      }
    }
  }

  @Override
  public void start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "deeptrain-sweeps");
              t.setDaemon(true);
              return t;
            });
    long every = props.pollInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            poll();
          } catch (RuntimeException e) {
            log.warn("Sweep poll failed: {}", e.getMessage());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }
}
