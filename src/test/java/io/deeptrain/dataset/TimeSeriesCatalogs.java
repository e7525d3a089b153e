package io.deeptrain.dataset;

/**
 * Catalogs with a time series registered as if uploaded, for training tests outside this package.
 */
public final class TimeSeriesCatalogs {

  private TimeSeriesCatalogs() {}

  /** The built-ins plus {@code name}, read from CSV text with the given window and horizon. */
  public static DatasetCatalog withSeries(String name, String csv, int window, int horizon) {
    DatasetCatalog catalog = new DatasetCatalog();
    TimeSeries series = TimeSeries.read(name, csv, window, horizon);
    catalog.addUploaded(DatasetCatalog.timeSeriesInfo(series, "test"), series);
    return catalog;
  }
}
