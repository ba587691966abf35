package io.dynamotrigger.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Draws the cumulative distribution of write → handler latency for each consumer into a PNG.
 */
final class LatencyChart {

	private static final int WIDTH = 900;

	private static final int HEIGHT = 520;

	private static final int LEFT = 80;

	private static final int RIGHT = 30;

	private static final int TOP = 50;

	private static final int BOTTOM = 60;

	private static final List<Color> COLORS = List.of(new Color(0x1f77b4), new Color(0xd62728),
			new Color(0x2ca02c));

	private LatencyChart() {
	}

	static void write(Map<String, Percentiles> latencies, String title, Path file) throws IOException {
		System.setProperty("java.awt.headless", "true");
		double maxMillis = latencies.values().stream().mapToDouble((p) -> p.at(99.5)).max().orElse(1) * 1.1;
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, WIDTH, HEIGHT);
		int plotWidth = WIDTH - LEFT - RIGHT;
		int plotHeight = HEIGHT - TOP - BOTTOM;
		g.setColor(new Color(0xdddddd));
		for (int i = 0; i <= 10; i++) {
			int y = TOP + plotHeight - i * plotHeight / 10;
			g.drawLine(LEFT, y, LEFT + plotWidth, y);
			int x = LEFT + i * plotWidth / 10;
			g.drawLine(x, TOP, x, TOP + plotHeight);
		}
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		g.drawRect(LEFT, TOP, plotWidth, plotHeight);
		for (int i = 0; i <= 10; i++) {
			g.drawString(i * 10 + "%", LEFT - 40, TOP + plotHeight - i * plotHeight / 10 + 4);
			g.drawString(String.format("%.0f", maxMillis * i / 10), LEFT + i * plotWidth / 10 - 10,
					TOP + plotHeight + 18);
		}
		g.drawString("write → handler latency (ms)", LEFT + plotWidth / 2 - 80, HEIGHT - 15);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
		g.drawString(title, LEFT, 30);
		int series = 0;
		for (Map.Entry<String, Percentiles> entry : new LinkedHashMap<>(latencies).entrySet()) {
			Color color = COLORS.get(series % COLORS.size());
			double[] values = entry.getValue().values();
			g.setColor(color);
			g.setStroke(new BasicStroke(2f));
			int lastX = LEFT;
			int lastY = TOP + plotHeight;
			for (int i = 0; i < values.length; i++) {
				int x = LEFT + (int) Math.min(plotWidth, values[i] / maxMillis * plotWidth);
				int y = TOP + plotHeight - (int) ((i + 1) / (double) values.length * plotHeight);
				g.drawLine(lastX, lastY, x, lastY);
				g.drawLine(x, lastY, x, y);
				lastX = x;
				lastY = y;
			}
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
			// Top left: a rising cumulative curve stays clear of it, and long names fit.
			g.fillRect(LEFT + 20, TOP + 20 + series * 20, 14, 4);
			g.drawString(entry.getKey() + String.format(" (p50 %.1f ms)", entry.getValue().at(50)),
					LEFT + 40, TOP + 26 + series * 20);
			series++;
		}
		g.dispose();
		ImageIO.write(image, "png", file.toFile());
	}

}
