package io.deeptrain.model;

/** Where a model version came from. */
public enum ModelSource {
  /** Trained here by a job: it has a spec, a training config and a dataset. */
  JOB,
  /** A DL4J model zip uploaded as it is. */
  UPLOAD,
  /** A Keras .h5 file imported through DL4J's model import. */
  KERAS
}
