package io.deeptrain.model;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws a confusion matrix as a PNG heat map: rows are actual classes, columns predicted ones, each
 * cell shaded by the share of its row, so a weak class stands out whatever its size.
 */
final class ConfusionHeatMap {

  private static final int CELL = 48;
  private static final int LABEL_WIDTH = 120;
  private static final int HEADER = 120;

  private ConfusionHeatMap() {}

  static byte[] render(ConfusionView confusion) {
    List<String> labels = confusion.labels();
    int n = labels.size();
    int width = LABEL_WIDTH + n * CELL + 10;
    int height = HEADER + n * CELL + 30;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      for (int a = 0; a < n; a++) {
        int rowTotal = confusion.classes().get(a).support();
        for (int p = 0; p < n; p++) {
          int count = confusion.counts().get(a).get(p);
          double share = rowTotal == 0 ? 0 : count / (double) rowTotal;
          g.setColor(shade(share, a == p));
          g.fillRect(LABEL_WIDTH + p * CELL, HEADER + a * CELL, CELL - 1, CELL - 1);
        }
      }
      drawText(g, confusion, n);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Blue for the diagonal (right), red off it (wrong); darker is a larger share of the row. */
  private static Color shade(double share, boolean diagonal) {
    int fade = (int) Math.round(255 * (1 - Math.min(1, share)));
    return diagonal ? new Color(fade, fade, 255) : new Color(255, fade, fade);
  }

  private static void drawText(Graphics2D g, ConfusionView confusion, int n) {
    try {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.setColor(Color.BLACK);
      g.drawString("actual \u2193  predicted \u2192", 4, 14);
      g.drawString(
          String.format("accuracy %.4f on %d examples", confusion.accuracy(), confusion.total()),
          4,
          HEADER + n * CELL + 20);
      for (int i = 0; i < n; i++) {
        String label = abbreviate(confusion.labels().get(i));
        g.drawString(label, 4, HEADER + i * CELL + CELL / 2 + 4);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.translate(LABEL_WIDTH + i * CELL + CELL / 2 + 4, HEADER - 6);
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(label, 0, 0);
        rotated.dispose();
        for (int p = 0; p < n; p++) {
          String count = Integer.toString(confusion.counts().get(i).get(p));
          g.drawString(count, LABEL_WIDTH + p * CELL + 4, HEADER + i * CELL + CELL / 2 + 4);
        }
      }
    } catch (RuntimeException | Error e) {
      // A JRE without fonts can still draw the cells; the numbers are in the JSON form.
    }
  }

  private static String abbreviate(String label) {
    return label.length() <= 16 ? label : label.substring(0, 15) + "\u2026";
  }
}
