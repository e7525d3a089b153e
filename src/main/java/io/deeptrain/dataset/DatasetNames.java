package io.deeptrain.dataset;

import java.util.regex.Pattern;

/** The shape of a dataset name: safe in a URL path, a folder name and a SQL key. */
final class DatasetNames {

  static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  static final String RULE =
      "must be 1-63 characters of lower-case letters, digits, '-' and '_', starting with a letter"
          + " or digit";

  private DatasetNames() {}
}
