package io.deeptrain.dataset;

import java.util.function.Supplier;

/** A value computed on first use, once, even when several threads ask at the same time. */
final class Lazy<T> implements Supplier<T> {

  private final Supplier<T> loader;
  private volatile T value;

  private Lazy(Supplier<T> loader, T value) {
    this.loader = loader;
    this.value = value;
  }

  static <T> Lazy<T> of(Supplier<T> loader) {
    return new Lazy<>(loader, null);
  }

  static <T> Lazy<T> ready(T value) {
    return new Lazy<>(null, value);
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = loader.get();
          value = v;
        }
      }
    }
    return v;
  }

  boolean isLoaded() {
    return value != null;
  }
}
