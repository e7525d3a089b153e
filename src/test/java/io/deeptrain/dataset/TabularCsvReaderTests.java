package io.deeptrain.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class TabularCsvReaderTests {

  @Test
  void shouldReadFeaturesAndSortedClassNames() {
    TabularTable table =
        TabularCsvReader.read("t.csv", new StringReader("a,b,label\n1,2,y\n3,4.5,x\n\n"));

    assertThat(table.featureNames()).containsExactly("a", "b");
    assertThat(table.classes()).containsExactly("x", "y");
    assertThat(table.features()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4.5}});
    assertThat(table.labels()).containsExactly(1, 0);
  }

  @Test
  void shouldNameRowAndColumnOfABadNumber() {
    String csv = "a,b,label\n1,2,x\n3,oops,y\n";

    assertThatThrownBy(() -> TabularCsvReader.read("t.csv", new StringReader(csv)))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("row 2")
        .hasMessageContaining("column 'b'")
        .hasMessageContaining("'oops'");
  }

  @Test
  void shouldNameTheRowWithMissingColumns() {
    String csv = "a,b,label\n1,2,x\n3,y\n";

    assertThatThrownBy(() -> TabularCsvReader.read("t.csv", new StringReader(csv)))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("row 2")
        .hasMessageContaining("expected 3 columns");
  }
}
