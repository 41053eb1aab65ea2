package io.spikering.cli;

import io.spikering.core.record.RecordingInfo;
import io.spikering.core.record.SpikeRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RasterCommandTest
{
    /** 2 s of Poisson-like spikes (about 20 Hz) in two populations, with a few 2-spike events in "exc". */
    private static Path recording(final Path dir) throws IOException
    {
        final RecordingInfo info = new RecordingInfo(0.1, "synthetic", "test",
            List.of(new RecordingInfo.Population("exc", 80), new RecordingInfo.Population("inh", 20)));
        final SplittableRandom random = new SplittableRandom(1);
        final int[] neurons = new int[80];
        final int[] counts = new int[80];
        try (SpikeRecorder recorder = SpikeRecorder.create(dir, info))
        {
            for (long step = 0; step < 20_000; step++)
            {
                for (int p = 0; p < 2; p++)
                {
                    int n = 0;
                    for (int i = 0; i < info.populations().get(p).size(); i++)
                    {
                        if (random.nextDouble() < 0.002)
                        {
                            neurons[n] = i;
                            counts[n++] = random.nextInt(20) == 0 ? 2 : 1;
                        }
                    }
                    recorder.onEvents(step, p, neurons, counts, n);
                }
            }
        }
        return dir;
    }

    private static int distinctNonWhiteColours(final BufferedImage image)
    {
        final java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2)
        {
            for (int x = 0; x < image.getWidth(); x += 2)
            {
                final int rgb = image.getRGB(x, y) & 0xffffff;
                if (rgb != 0xffffff)
                {
                    colours.add(rgb);
                }
            }
        }
        return colours.size();
    }

    @Test
    void drawsAPngOfTheRequestedSize(@TempDir final Path tmp) throws IOException
    {
        final Path rec = recording(tmp.resolve("rec"));
        final Path png = tmp.resolve("out/raster.png");
        assertEquals(0, Main.run("raster", "--recording", rec.toString(), "--out", png.toString(), "--width", "900", "--height", "600"));
        final BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(600, image.getHeight());
        assertTrue(distinctNonWhiteColours(image) > 10, "the plot has content");
    }

    @Test
    void populationAndStepFiltersProduceAPlot(@TempDir final Path tmp) throws IOException
    {
        final Path rec = recording(tmp.resolve("rec"));
        final Path png = tmp.resolve("inh.png");
        assertEquals(0, Main.run("raster", "--recording", rec.toString(), "--out", png.toString(),
            "--population", "inh", "--from-step", "1000", "--to-step", "5000", "--max-neurons", "10"));
        assertEquals(1200, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void badInputIsAClearErrorWithExitCode2(@TempDir final Path tmp) throws IOException
    {
        final Path rec = recording(tmp.resolve("rec"));
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(2, Main.run("raster", "--recording", rec.toString(), "--out", tmp.resolve("a.png").toString(), "--population", "nope"));
            assertEquals(2, Main.run("raster", "--recording", tmp.resolve("missing").toString(), "--out", tmp.resolve("b.png").toString()));
            assertEquals(2, Main.run("raster", "--recording", rec.toString(), "--out", tmp.resolve("c.jpg").toString()));
            assertEquals(2, Main.run("raster", "--recording", rec.toString(), "--out", tmp.resolve("d.png").toString(), "--from-step", "30000"));
        }
        finally
        {
            System.setErr(err);
        }
        final String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("no population named 'nope'"), text);
        assertTrue(text.contains("missing"), text);
        assertTrue(text.contains("--out must name a .png"), text);
        assertTrue(text.contains("--to-step"), text);
        assertFalse(Files.exists(tmp.resolve("a.png")));
    }
}
