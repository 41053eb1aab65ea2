package io.spikering.cli;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.energy.EnergyProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.spikering.cli.RunCommandTest.runCli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ParetoCommandTest
{
    private static final Path HYBRID = Path.of("..", "models", "psmnist-lmu-hybrid.safetensors");
    private static final Path QMEM = Path.of("..", "models", "psmnist-lmu-hybrid-qmem.safetensors");

    @TempDir
    Path dir;

    @Test
    void shippedModelsOnTwoHundredTestImages() throws IOException
    {
        assumeTrue(Files.isRegularFile(MnistDataset.defaultCacheDir().resolve("t10k-images-idx3-ubyte")), "no MNIST cache");
        final Path out = dir.resolve("front");
        final String[] r = runCli("pareto", "--models", HYBRID + "," + QMEM, "--test-limit", "200", "--no-progress", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        final List<String> lines = Files.readAllLines(out.resolve("pareto.csv"), StandardCharsets.UTF_8);
        final List<String> header = Arrays.asList(lines.get(0).split(","));
        assertEquals(ParetoCommand.CSV_HEADER, lines.get(0));
        final int profileCol = header.indexOf("profile");
        final int modelCol = header.indexOf("model");
        final int kindCol = header.indexOf("kind");
        final int modeCol = header.indexOf("memory_mode");
        final int dtCol = header.indexOf("dt");
        final int dtmCol = header.indexOf("memory_dt");
        final int samplesCol = header.indexOf("samples");
        final int correctCol = header.indexOf("correct");
        final int energyCol = header.indexOf("energy_j");
        final int cheapModeCol = header.indexOf("cheapest_dense_memory_mode");
        final int cheapCol = header.indexOf("cheapest_dense_energy_j");
        final int ratioCol = header.indexOf("energy_ratio_to_cheapest_dense");
        final int frontCol = header.indexOf("on_front");
        // per profile: each model dense filter, dense fused and spiking at the file's dt (and dt_m for the quantized memory)
        final int perProfile = 6;
        assertEquals(1 + EnergyProfiles.NAMES.size() * perProfile, lines.size());
        for (int p = 0; p < EnergyProfiles.NAMES.size(); p++)
        {
            final String profile = EnergyProfiles.NAMES.get(p);
            final List<String[]> rows = new ArrayList<>();
            for (int i = 0; i < perProfile; i++)
            {
                rows.add(lines.get(1 + p * perProfile + i).split(",", -1));
            }
            int frontRows = 0;
            for (final String[] row : rows)
            {
                assertEquals(header.size(), row.length, String.join(",", row));
                assertEquals(profile, row[profileCol]);
                assertEquals("200", row[samplesCol]);
                final boolean dense = row[kindCol].equals("dense");
                assertTrue(dense || row[kindCol].equals("spiking"));
                assertEquals(dense, row[dtCol].isEmpty(), "a dense row has no dt");
                assertEquals(!dense && row[modelCol].endsWith("-qmem"), !row[dtmCol].isEmpty(), "dt_m for the quantized memory only");
                assertTrue(dense ? row[modeCol].matches("filter|fused") : row[modeCol].equals("filter"), row[modeCol]);
                // the cheapest dense implementation: the minimum over this model's dense rows on this profile
                double min = Double.POSITIVE_INFINITY;
                String minMode = null;
                for (final String[] q : rows)
                {
                    if (q[kindCol].equals("dense") && q[modelCol].equals(row[modelCol]) && Double.parseDouble(q[energyCol]) < min)
                    {
                        min = Double.parseDouble(q[energyCol]);
                        minMode = q[modeCol];
                    }
                }
                assertEquals(min, Double.parseDouble(row[cheapCol]), 0.0);
                assertEquals(minMode, row[cheapModeCol]);
                assertEquals(Double.parseDouble(row[energyCol]) / min, Double.parseDouble(row[ratioCol]), 1e-6);
                // on the front exactly when no other row is at least as accurate and at most as costly, one strictly
                final int c = Integer.parseInt(row[correctCol]);
                final double e = Double.parseDouble(row[energyCol]);
                boolean dominated = false;
                for (final String[] q : rows)
                {
                    final int qc = Integer.parseInt(q[correctCol]);
                    final double qe = Double.parseDouble(q[energyCol]);
                    dominated |= qc >= c && qe <= e && (qc > c || qe < e);
                }
                assertEquals(!dominated, Boolean.parseBoolean(row[frontCol]), profile + " " + String.join(",", row));
                frontRows += dominated ? 0 : 1;
            }
            assertTrue(frontRows >= 1);
            // the profiles that skip zero inputs have 'fused' as the cheapest dense implementation, the every-synapse ones 'filter'
            assertEquals(profile.matches("cpu|gpu|arm") ? "filter" : "fused", rows.get(0)[cheapModeCol], profile);
            final BufferedImage png = ImageIO.read(out.resolve("pareto-" + profile + ".png").toFile());
            assertNotNull(png, profile);
            assertEquals(1000, png.getWidth());
        }
        assertTrue(r[1].contains("front"), r[1]);
    }

    /** Runs the command and checks it exits with 2 and one line, "error: ...", on stderr. */
    private static String[] refused(final String... args)
    {
        final String[] r = runCli(args);
        assertEquals("2", r[0], String.join(" ", args) + ": " + r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
        assertTrue(r[2].startsWith("error: "), r[2]);
        return r;
    }

    @Test
    void badInputGetsOneClearMessage() throws IOException
    {
        final String out = dir.resolve("o").toString();
        String[] r = refused("pareto", "--models", dir.resolve("absent.safetensors").toString(), "--out", out);
        assertTrue(r[2].contains("--models") && r[2].contains("absent.safetensors") && r[2].contains("does not exist"), r[2]);
        final Path nir = Files.writeString(dir.resolve("g.nir"), "not read");
        r = refused("pareto", "--models", HYBRID + "," + nir, "--out", out);
        assertTrue(r[2].contains("--models") && r[2].contains("NIR graph") && r[2].contains(".safetensors"), r[2]);
        final Path junk = Files.writeString(dir.resolve("junk.safetensors"), "not a model");
        r = refused("pareto", "--models", junk.toString(), "--out", out);
        assertTrue(r[2].contains("--models") && r[2].contains("junk.safetensors") && r[2].contains("not an LMU model file"), r[2]);
        r = refused("pareto", "--models", Path.of("..", "models", "mackey-glass-lmu.safetensors").toString(), "--out", out);
        assertTrue(r[2].contains("--models") && r[2].contains("Mackey-Glass"), r[2]);
        r = refused("pareto", "--models", "", "--out", out);
        assertTrue(r[2].contains("--models is empty") && r[2].contains("e.g. --models"), r[2]);
        r = refused("pareto", "--models", HYBRID + ",," + QMEM, "--out", out);
        assertTrue(r[2].contains("--models has an empty entry"), r[2]);
        r = refused("pareto", "--models", HYBRID + "," + HYBRID, "--out", out);
        assertTrue(r[2].contains("--models names two files"), r[2]);
        r = refused("pareto", "--models", HYBRID.toString(), "--profiles", "loihi,tpu", "--out", out);
        assertTrue(r[2].contains("--profiles") && r[2].contains("'tpu'") && r[2].contains("horowitz45-fp32"), r[2]);
        r = refused("pareto", "--models", HYBRID.toString(), "--memory-dt", "0.5", "--out", out);
        assertTrue(r[2].contains("--memory-dt") && r[2].contains("drop --memory-dt"), r[2]);
        r = refused("pareto", "--models", HYBRID.toString(), "--dt", "0", "--out", out);
        assertTrue(r[2].contains("--dt"), r[2]);
        r = refused("pareto", "--models", HYBRID.toString(), "--test-limit", "0", "--out", out);
        assertTrue(r[2].contains("--test-limit"), r[2]);
        r = runCli("pareto", "--models", HYBRID.toString());
        assertEquals("2", r[0], "picocli's own message and usage");
        assertTrue(r[2].contains("--out"), r[2]);
        assertTrue(!Files.exists(Path.of(out)), "nothing written on bad input");
    }
}
