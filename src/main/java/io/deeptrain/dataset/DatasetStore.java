package io.deeptrain.dataset;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Uploaded datasets in the {@code datasets} table: metadata apart from the content. */
@Repository
class DatasetStore {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  DatasetStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Stores an image upload; fails with DuplicateKeyException if the name was taken meanwhile. */
  void insertImages(DatasetInfo info, ImageBlock block) {
    ByteBuffer labels = ByteBuffer.allocate(block.size() * Integer.BYTES);
    for (int label : block.labels()) {
      labels.putInt(label);
    }
    insert(info, block.pixels(), labels.array());
  }

  void insertText(DatasetInfo info, byte[] utf8) {
    insert(info, utf8, null);
  }

  void insertTabular(DatasetInfo info, String csv) {
    insert(info, csv.getBytes(StandardCharsets.UTF_8), null);
  }

  private void insert(DatasetInfo info, byte[] content, byte[] labels) {
    jdbc.sql(
            """
            INSERT INTO datasets (name, kind, info, content, labels, content_bytes)
            VALUES (:name, :kind, CAST(:info AS jsonb), :content, :labels, :bytes)
            """)
        .param("name", info.name())
        .param("kind", info.kind())
        .param("info", json.writeValueAsString(info))
        .param("content", content)
        .param("labels", labels, java.sql.Types.BINARY)
        .param("bytes", (long) content.length)
        .update();
  }

  /** Every stored dataset's metadata, oldest first; content stays in the database. */
  List<DatasetInfo> infos() {
    return jdbc.sql("SELECT info::text FROM datasets ORDER BY created_at, name")
        .query((rs, i) -> json.readValue(rs.getString(1), DatasetInfo.class))
        .list();
  }

  Optional<DatasetInfo> info(String name) {
    return jdbc.sql("SELECT info::text FROM datasets WHERE name = :name")
        .param("name", name)
        .query((rs, i) -> json.readValue(rs.getString(1), DatasetInfo.class))
        .optional();
  }

  ImageData images(DatasetInfo info) {
    return jdbc.sql("SELECT content, labels FROM datasets WHERE name = :name")
        .param("name", info.name())
        .query(
            (rs, i) -> {
              byte[] pixels = rs.getBytes(1);
              ByteBuffer raw = ByteBuffer.wrap(rs.getBytes(2));
              int[] labels = new int[raw.remaining() / Integer.BYTES];
              for (int n = 0; n < labels.length; n++) {
                labels[n] = raw.getInt();
              }
              List<Integer> shape = info.inputShape();
              return new ImageData(
                  new ImageBlock(pixels, labels, shape.get(0), shape.get(1), shape.get(2)),
                  null,
                  null);
            })
        .single();
  }

  /** SHA-256 (hex) of an upload's stored content, then its labels for images; computed in SQL. */
  Optional<String> sha256(String name) {
    return jdbc.sql(
            "SELECT encode(sha256(content || coalesce(labels, ''::bytea)), 'hex') FROM datasets"
                + " WHERE name = :name")
        .param("name", name)
        .query(String.class)
        .optional();
  }

  String csv(String name) {
    return jdbc.sql("SELECT content FROM datasets WHERE name = :name")
        .param("name", name)
        .query((rs, i) -> new String(rs.getBytes(1), StandardCharsets.UTF_8))
        .single();
  }
}
