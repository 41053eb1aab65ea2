package io.spikering.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher adds the incubating Vector API module (whose mere presence makes the JVM print "WARNING: Using
 * incubator modules") only where it is used (train psmnist; run, sweep, pareto, demo), never for help or version output. Runs ../spikering with a stand-in java
 * that prints its arguments.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherTest
{
    @TempDir
    Path dir;

    private String launch(final String... args) throws Exception
    {
        final Path bin = Files.createDirectories(dir.resolve("jdk").resolve("bin"));
        final Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\nif [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.9\"' >&2; exit 0; fi\n"
            + "printf '%s\\n' \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        final List<String> command = new ArrayList<>(List.of("bash", Path.of("..", "spikering").toString()));
        command.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        pb.environment().put("SPIKERING_NO_BUILD", "1");
        final Process p = pb.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void vectorModuleOnlyWhenTraining() throws Exception
    {
        final String module = "--add-modules=jdk.incubator.vector";
        assertTrue(launch("train", "psmnist", "--epochs", "1").contains(module));
        assertTrue(launch("train", "psmnist", "--evaluate-only", "--model", "m.safetensors").contains(module));
        assertTrue(launch("run", "--model", "m.safetensors").contains(module));
        assertTrue(launch("demo").contains(module));
        assertTrue(launch("pareto", "--models", "m.safetensors", "--out", "o").contains(module));
        for (final String[] help : new String[][] {{"--help"}, {"train", "--help"}, {"train", "psmnist", "--help"}, {"train", "psmnist", "-h"},
            {"train"}, {"--version"}, {"run", "--help"}, {"sweep", "-h"}, {"pareto", "--help"}, {"demo", "--help"}, {"lmu", "--order", "4", "--theta", "8"}})
        {
            final String out = launch(help);
            assertFalse(out.contains(module), String.join(" ", help) + ": " + out);
            assertTrue(out.contains("-jar"), out);
        }
    }
}
