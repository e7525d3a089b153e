package io.deeptrain.inference;

import java.awt.BasicStroke;
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

/** Draws encoded test images as a PNG scatter plot, one colour per label, with a legend. */
final class LatentScatterPlot {

  static final int WIDTH = 800;
  static final int HEIGHT = 600;
  private static final int MARGIN = 50;
  private static final int LEGEND = 170;

  /** Ten distinguishable colours (Tableau 10), repeated past ten labels. */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf)
  };

  private LatentScatterPlot() {}

  static byte[] render(LatentResponse latent) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      List<LatentResponse.Point> points = latent.points();
      double minX = Double.POSITIVE_INFINITY;
      double maxX = Double.NEGATIVE_INFINITY;
      double minY = Double.POSITIVE_INFINITY;
      double maxY = Double.NEGATIVE_INFINITY;
      for (LatentResponse.Point p : points) {
        minX = Math.min(minX, p.x());
        maxX = Math.max(maxX, p.x());
        minY = Math.min(minY, p.y());
        maxY = Math.max(maxY, p.y());
      }
      if (points.isEmpty()) {
        minX = minY = -1;
        maxX = maxY = 1;
      }
      double padX = Math.max(1e-6, (maxX - minX) * 0.05);
      double padY = Math.max(1e-6, (maxY - minY) * 0.05);
      minX -= padX;
      maxX += padX;
      minY -= padY;
      maxY += padY;
      int plotW = WIDTH - LEGEND - 2 * MARGIN;
      int plotH = HEIGHT - 2 * MARGIN;
      g.setColor(new Color(0xdddddd));
      g.drawRect(MARGIN, MARGIN, plotW, plotH);
      // Axes through 0 when it is in range: the prior's centre.
      g.setColor(new Color(0xeeeeee));
      if (minX < 0 && maxX > 0) {
        int x0 = MARGIN + (int) ((0 - minX) / (maxX - minX) * plotW);
        g.drawLine(x0, MARGIN, x0, MARGIN + plotH);
      }
      if (minY < 0 && maxY > 0) {
        int y0 = MARGIN + plotH - (int) ((0 - minY) / (maxY - minY) * plotH);
        g.drawLine(MARGIN, y0, MARGIN + plotW, y0);
      }
      List<String> labels = latent.labels();
      for (LatentResponse.Point p : points) {
        int index = Math.max(0, labels.indexOf(p.label()));
        Color c = PALETTE[index % PALETTE.length];
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 170));
        int x = MARGIN + (int) ((p.x() - minX) / (maxX - minX) * plotW);
        int y = MARGIN + plotH - (int) ((p.y() - minY) / (maxY - minY) * plotH);
        g.fillOval(x - 3, y - 3, 6, 6);
      }
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(String.format("z[0]: %.2f to %.2f", minX, maxX), MARGIN, HEIGHT - 18);
      g.drawString(
          latent.latentSize() > 1 ? String.format("z[1]: %.2f to %.2f", minY, maxY) : "z[1]: none",
          MARGIN + plotW / 2,
          HEIGHT - 18);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(
          "Latent codes of " + points.size() + " test images (" + latent.dataset() + ")",
          MARGIN,
          30);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int lx = WIDTH - LEGEND;
      g.setStroke(new BasicStroke(1));
      for (int i = 0; i < labels.size(); i++) {
        int ly = MARGIN + 10 + i * 20;
        g.setColor(PALETTE[i % PALETTE.length]);
        g.fillOval(lx, ly - 9, 10, 10);
        g.setColor(Color.DARK_GRAY);
        g.drawString(labels.get(i), lx + 16, ly);
      }
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
}
