package io.deeptrain.metric;

import io.deeptrain.system.ApiException;
import io.deeptrain.system.FieldViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads a job's series, optionally one name and only after a step, downsampled to a budget. */
@Service
public class MetricQuery {

  static final int MAX_POINTS_LIMIT = 100_000;

  private final JdbcClient jdbc;

  MetricQuery(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(readOnly = true)
  public MetricsResponse series(UUID jobId, String name, Long sinceStep, int maxPoints) {
    List<FieldViolation> violations = new ArrayList<>();
    if (maxPoints < 4 || maxPoints > MAX_POINTS_LIMIT) {
      violations.add(
          new FieldViolation(
              "maxPoints", "must be between 4 and " + MAX_POINTS_LIMIT + ", got " + maxPoints));
    }
    if (!violations.isEmpty()) {
      throw ApiException.invalid(violations);
    }
    boolean exists =
        jdbc.sql("SELECT EXISTS (SELECT 1 FROM jobs WHERE id = :id)")
            .param("id", jobId)
            .query(Boolean.class)
            .single();
    if (!exists) {
      throw ApiException.notFound("job", jobId);
    }
    Map<String, List<MetricSeries.Point>> byName = new LinkedHashMap<>();
    jdbc.sql(
            """
            SELECT name, step, epoch, value FROM metric_points
            WHERE job_id = :id AND (CAST(:name AS text) IS NULL OR name = :name) AND step > :since
            ORDER BY name, step
            """)
        .param("id", jobId)
        .param("name", name == null || name.isBlank() ? null : name)
        .param("since", sinceStep == null ? Long.MIN_VALUE : sinceStep)
        .query(
            rs -> {
              byName
                  .computeIfAbsent(rs.getString("name"), k -> new ArrayList<>())
                  .add(
                      new MetricSeries.Point(
                          rs.getLong("step"), rs.getInt("epoch"), rs.getDouble("value")));
            });
    List<MetricSeries> series = new ArrayList<>();
    byName.forEach(
        (n, points) -> {
          List<MetricSeries.Point> kept = Downsampler.downsample(points, maxPoints);
          series.add(new MetricSeries(n, points.size(), kept.size() < points.size(), kept));
        });
    return new MetricsResponse(jobId, series);
  }

  /**
   * The job's points written after {@code afterSeq}, in write order, at most {@code limit}. Points
   * a resumed run rewrites come again with a new seq and replace the old value of (name, step).
   */
  @Transactional(readOnly = true)
  public List<SequencedPoint> after(UUID jobId, long afterSeq, int limit) {
    return jdbc.sql(
            """
            SELECT seq, name, step, epoch, value FROM metric_points
            WHERE job_id = :id AND seq > :after
            ORDER BY seq
            LIMIT :limit
            """)
        .param("id", jobId)
        .param("after", afterSeq)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new SequencedPoint(
                    rs.getLong("seq"),
                    rs.getString("name"),
                    rs.getLong("step"),
                    rs.getInt("epoch"),
                    rs.getDouble("value")))
        .list();
  }
}
