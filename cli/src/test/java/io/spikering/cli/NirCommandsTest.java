package io.spikering.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikering.interop.nir.NirGraph;
import io.spikering.interop.nir.NirReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export --nir and inspect G.nir through the command line (a small CUBA network, written and read back). */
class NirCommandsTest
{
    @TempDir
    Path dir;

    private static String capture(final String... args)
    {
        final PrintStream saved = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(0, Main.run(args), String.join(" ", args));
        }
        finally
        {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exportCubaThenInspectThenRoundTripFrom() throws Exception
    {
        final Path cuba = dir.resolve("cuba.nir");
        assertEquals(2, Main.run("export", "--nir", cuba.toString(), "--cuba", "--excitatory", "16", "--inhibitory", "4",
            "--ce", "3", "--ci", "1"), "the refractory period must be refused without --drop-refractory");
        String out = capture("export", "--nir", cuba.toString(), "--cuba", "--excitatory", "16", "--inhibitory", "4",
            "--ce", "3", "--ci", "1", "--drop-refractory");
        assertTrue(out.contains("wrote " + cuba + ": 18 nodes, 20 edges"), out);
        assertTrue(out.contains("left out: exc: refractory period 5.0 ms"), out);

        out = capture("inspect", cuba.toString());
        assertTrue(out.contains("format: NIR version"), out);
        assertTrue(out.matches("(?s).*\\nexc\\s+LIF\\s+\\[16]\\s+\\[16]\\s+80\\s+emits events\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nexc_to_inh_ex\\s+Linear\\s+\\[16]\\s+\\[4]\\s+64\\s+per event\\n.*"), out);
        assertTrue(out.contains("  inh -> inh_to_exc_in"), out);

        final Path copy = dir.resolve("copy.nir");
        out = capture("export", "--nir", copy.toString(), "--from", cuba.toString());
        assertTrue(out.contains("wrote " + copy), out);
        final NirGraph a = NirReader.read(cuba);
        assertEquals(a, NirReader.read(copy));
    }

    @Test
    void brokenNirFilesExitWithTwo() throws Exception
    {
        final Path junk = Files.writeString(dir.resolve("junk.nir"), "not hdf5");
        assertEquals(2, Main.run("inspect", junk.toString()));
        assertEquals(2, Main.run("export", "--nir", dir.resolve("o.nir").toString(), "--from", junk.toString()));
        assertEquals(2, Main.run("inspect", dir.resolve("missing.npy").toString()));
    }
}
