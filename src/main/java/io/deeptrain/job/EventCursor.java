package io.deeptrain.job;

import io.deeptrain.system.ApiException;

/**
 * What a client of a job's event stream has seen, carried in each event's {@code id} and sent back
 * as {@code Last-Event-ID}: the seq of the last metric point, and the key of the last job view
 * (attempt, status, epochs done, warnings, cancel flag). Example: {@code 42.1-RUNNING-3-0-0}.
 */
record EventCursor(long metricSeq, String viewKey) {

  static final EventCursor START = new EventCursor(0, "");

  static EventCursor parse(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return START;
    }
    int dot = lastEventId.indexOf('.');
    try {
      long seq = Long.parseLong(dot < 0 ? lastEventId : lastEventId.substring(0, dot));
      if (seq < 0) {
        throw new NumberFormatException();
      }
      return new EventCursor(seq, dot < 0 ? "" : lastEventId.substring(dot + 1));
    } catch (NumberFormatException e) {
      throw ApiException.invalid(
          "Last-Event-ID",
          "must be the id of an event of this stream, like 42.1-RUNNING-3-0-0; got '"
              + lastEventId
              + "'");
    }
  }

  /** The part of a view whose change is worth a {@code status} event. */
  static String keyOf(JobView view) {
    return view.attempt()
        + "-"
        + view.status()
        + "-"
        + view.progress().epochsDone()
        + "-"
        + view.warnings().size()
        + "-"
        + (view.cancelRequested() ? 1 : 0);
  }

  EventCursor withSeq(long seq) {
    return new EventCursor(seq, viewKey);
  }

  EventCursor withView(String key) {
    return new EventCursor(metricSeq, key);
  }

  String id() {
    return metricSeq + "." + viewKey;
  }
}
