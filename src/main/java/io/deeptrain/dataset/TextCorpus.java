package io.deeptrain.dataset;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A UTF-8 text for a character-level language model: its vocabulary (every distinct code point, in
 * code-point order, so the same text always gives the same indices) and the text as indices. The
 * last {@code testFraction} of the text is held out whole, so validation reads unseen prose.
 */
public record TextCorpus(String name, List<String> vocabulary, int[] codes) {

  public static final int MIN_CHARACTERS = 100;
  public static final int MAX_VOCABULARY = 1024;

  /**
   * @throws DatasetFormatException when the text is too short or has too many distinct characters
   */
  public static TextCorpus of(String name, String text) {
    int[] points = text.codePoints().toArray();
    if (points.length < MIN_CHARACTERS) {
      throw new DatasetFormatException(
          "the text has %d characters; a language model needs at least %d"
              .formatted(points.length, MIN_CHARACTERS));
    }
    TreeSet<Integer> distinct = new TreeSet<>();
    for (int p : points) {
      distinct.add(p);
    }
    if (distinct.size() > MAX_VOCABULARY) {
      throw new DatasetFormatException(
          "the text has %d distinct characters; at most %d are allowed"
              .formatted(distinct.size(), MAX_VOCABULARY));
    }
    List<String> vocabulary = distinct.stream().map(Character::toString).toList();
    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < vocabulary.size(); i++) {
      index.put(vocabulary.get(i).codePointAt(0), i);
    }
    int[] codes = new int[points.length];
    for (int i = 0; i < points.length; i++) {
      codes[i] = index.get(points[i]);
    }
    return new TextCorpus(name, vocabulary, codes);
  }

  /**
   * Strict UTF-8: a malformed byte is an error rather than a replacement character.
   *
   * @throws DatasetFormatException naming the first bad byte's offset
   */
  public static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DatasetFormatException("the file is not valid UTF-8 text (" + e + ")");
    }
  }

  /** Characters of the training part: everything before the held-out tail. */
  public int trainLength(double testFraction) {
    return codes.length - testLength(testFraction);
  }

  public int testLength(double testFraction) {
    return Math.max(2, (int) Math.round(codes.length * testFraction));
  }
}
