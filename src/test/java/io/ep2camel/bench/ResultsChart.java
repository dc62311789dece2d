package io.ep2camel.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark results as one PNG, four panels of grouped bars (plain Java2D, headless): the
 * convergence p50/p95 per mode, the runtime apply cost batched vs per command (log scale),
 * failed vs answered requests under churn, and the jar's memory and CPU.
 */
final class ResultsChart {
    private static final int W = 1400;
    private static final int H = 1000;
    private static final Color[] SERIES = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0x59a14f)};

    private record Group(String label, double[] values) {
    }

    private record Panel(String title, String unit, String[] series, List<Group> groups, boolean log) {
    }

    private final List<Panel> panels = new ArrayList<>();

    ResultsChart(Map<String, List<Double>> convergence, List<ChurnBenchmark.Outcome> churn,
                 List<RuntimeApplyBenchmark.Cost> costs, JarProbe.Outcome jar) {
        List<Group> conv = new ArrayList<>();
        convergence.forEach((mode, ms) -> conv.add(new Group(mode, new double[] {
                ConvergenceBenchmark.percentile(ms, 50), ConvergenceBenchmark.percentile(ms, 95)})));
        panels.add(new Panel("Convergence latency", "ms", new String[] {"p50", "p95"}, conv, true));
        panels.add(new Panel("Runtime apply cost", "ms", new String[] {"batched", "batched, TCP", "per command"},
                costs.stream().map(c -> new Group(c.servers() + " servers",
                        new double[] {c.batchedMs(), c.batchedTcpMs(), c.perCommandMs()})).toList(),
                true));
        panels.add(new Panel("Requests during " + (churn.isEmpty() ? 0 : churn.get(0).events()) + " scale events", "requests",
                new String[] {"answered", "failed"},
                churn.stream().map(c -> new Group(c.updateType(), new double[] {c.ok(), c.failed()})).toList(), false));
        panels.add(new Panel("The jar: memory and CPU", "MB / % of a core", new String[] {"RSS (MB)", "CPU (%)"},
                List.of(new Group("idle", new double[] {jar.idle().rssMb(), jar.idle().cpuPercent()}),
                        new Group("churn", new double[] {jar.churn().rssMb(), jar.churn().cpuPercent()})), false));
    }

    void write(Path file) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        for (int i = 0; i < panels.size(); i++) {
            draw(g, panels.get(i), (i % 2) * W / 2, (i / 2) * H / 2, W / 2, H / 2);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static void draw(Graphics2D g, Panel p, int x0, int y0, int w, int h) {
        int left = x0 + 70;
        int right = x0 + w - 20;
        int top = y0 + 60;
        int bottom = y0 + h - 70;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(p.title() + (p.log() ? " (log scale)" : ""), x0 + 20, y0 + 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // the legend right of the title, clear of the axis' unit label
        for (int s = 0; s < p.series().length; s++) {
            int lx = x0 + w / 2 + 40 + s * 120;
            g.setColor(SERIES[s]);
            g.fillRect(lx, y0 + 18, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(p.series()[s], lx + 14, y0 + 28);
        }
        double max = p.groups().stream().flatMapToDouble(gr -> java.util.Arrays.stream(gr.values())).max().orElse(1);
        max = Math.max(max, p.log() ? 10 : 1);
        double lo = p.log() ? 1 : 0;
        double hi = p.log() ? Math.pow(10, Math.ceil(Math.log10(max))) : max * 1.1;
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        // y ticks: decades on a log axis, five steps on a linear one
        List<Double> ticks = new ArrayList<>();
        if (p.log()) {
            for (double t = lo; t <= hi; t *= 10) {
                ticks.add(t);
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                ticks.add(hi * i / 5);
            }
        }
        for (double t : ticks) {
            int y = y(t, lo, hi, top, bottom, p.log());
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(t), x0 + 8, y + 4);
        }
        g.drawString(p.unit(), x0 + 8, top - 12);
        int groups = p.groups().size();
        int slot = (right - left) / Math.max(1, groups);
        int bar = Math.max(8, (slot - 30) / p.series().length);
        for (int i = 0; i < groups; i++) {
            Group gr = p.groups().get(i);
            int gx = left + i * slot + 15;
            for (int s = 0; s < gr.values().length; s++) {
                double v = gr.values()[s];
                int y = y(Math.max(v, lo), lo, hi, top, bottom, p.log());
                g.setColor(SERIES[s]);
                g.fillRect(gx + s * bar, y, bar - 4, bottom - y);
                g.setColor(Color.BLACK);
                g.drawString(label(v), gx + s * bar, y - 4);
            }
            g.setColor(Color.BLACK);
            g.drawString(gr.label(), gx, bottom + 18);
        }
    }

    private static int y(double v, double lo, double hi, int top, int bottom, boolean log) {
        double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        return bottom - (int) Math.round(f * (bottom - top));
    }

    private static String label(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v);
    }
}
