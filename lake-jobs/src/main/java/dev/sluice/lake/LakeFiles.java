package dev.sluice.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;

/**
 * The small operations on the lake's files that the versioned partitions do around Spark's writes: read and replace a
 * pointer, write a column list, list a partition, delete old versions, read a Parquet footer's row count. Paths are
 * the lake's URIs ({@code s3a://bucket/tier0/events/...}, {@code file:/tmp/lake/...}).
 *
 * <p>Through Hadoop's {@code FileSystem} for every scheme but {@code file}, which goes through {@code java.nio}
 * instead: without Hadoop's native library (the case on most machines, and on this one), the local filesystem forks
 * a process ({@code ls}, {@code chmod}) to read or set the permissions of each file it creates or lists — about 10 ms
 * a file, measured here: 720 partitions spent 26 s in their bookkeeping, more than Spark took to write them.
 */
abstract class LakeFiles {

    static LakeFiles of(String root, Configuration hadoop) {
        return "file".equals(URI.create(root).getScheme()) ? new Local() : new Hadoop(hadoop);
    }

    /** The content of a small file; empty when there is none. */
    abstract Optional<byte[]> read(String file);

    /** Writes a small file, replacing one that is there (not atomically: for files no reader trusts before the pointer). */
    abstract void write(String file, byte[] content);

    /**
     * Replaces a small file so that a reader sees the old content or the new, never a part: on S3 one PUT is that
     * already; elsewhere the content is written beside it and renamed over it (atomic on POSIX and HDFS).
     */
    abstract void replace(String file, byte[] content);

    /**
     * The files under a directory, at any depth, relative to it ({@code v=run1/part-0.parquet}); none if it is not
     * there. A directory without files is listed as {@code name/} where a filesystem has such (not S3).
     */
    abstract List<String> files(String directory);

    /** The directories directly in a directory, by name; none if it is not there. */
    abstract List<String> directories(String directory);

    /** Deletes a file or a directory with everything in it; nothing if it is not there. */
    abstract void delete(String path);

    /** The rows of a Parquet file, from its footer. */
    abstract long rows(String parquetFile);

    /** The size of a file in bytes. */
    abstract long size(String file);

    static long rows(InputFile file, String name) {
        try (ParquetFileReader reader = ParquetFileReader.open(file)) {
            return reader.getRecordCount();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the footer of " + name, e);
        }
    }

    /** The local filesystem with java.nio. */
    static final class Local extends LakeFiles {

        private static java.nio.file.Path local(String path) {
            return java.nio.file.Path.of(URI.create(path));
        }

        @Override
        Optional<byte[]> read(String file) {
            try {
                return Optional.of(Files.readAllBytes(local(file)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        @Override
        void write(String file, byte[] content) {
            try {
                Files.createDirectories(local(file).getParent());
                Files.write(local(file), content);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        @Override
        void replace(String file, byte[] content) {
            java.nio.file.Path target = local(file);
            java.nio.file.Path temporary = target.resolveSibling("." + target.getFileName() + "." + System.nanoTime());
            try {
                Files.createDirectories(target.getParent());
                Files.write(temporary, content);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replace " + file, e);
            }
        }

        @Override
        List<String> files(String directory) {
            java.nio.file.Path root = local(directory);
            if (!Files.isDirectory(root)) {
                return List.of();
            }
            try (Stream<java.nio.file.Path> walk = Files.walk(root)) {
                return walk.filter(path -> !path.equals(root)).filter(path -> Files.isRegularFile(path) || isEmpty(path))
                        .map(path -> root.relativize(path).toString().replace('\\', '/') + (Files.isDirectory(path) ? "/" : ""))
                        .sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + directory, e);
            }
        }

        private static boolean isEmpty(java.nio.file.Path path) {
            if (!Files.isDirectory(path)) {
                return false;
            }
            try (Stream<java.nio.file.Path> entries = Files.list(path)) {
                return entries.findAny().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        List<String> directories(String directory) {
            java.nio.file.Path root = local(directory);
            if (!Files.isDirectory(root)) {
                return List.of();
            }
            try (Stream<java.nio.file.Path> list = Files.list(root)) {
                return list.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + directory, e);
            }
        }

        @Override
        void delete(String path) {
            java.nio.file.Path root = local(path);
            if (!Files.exists(root)) {
                return;
            }
            try (Stream<java.nio.file.Path> walk = Files.walk(root)) {
                for (java.nio.file.Path file : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }

        @Override
        long rows(String parquetFile) {
            return rows(new LocalInputFile(local(parquetFile)), parquetFile);
        }

        @Override
        long size(String file) {
            try {
                return java.nio.file.Files.size(local(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of " + file, e);
            }
        }
    }

    /** Any Hadoop filesystem: S3A, HDFS, ... */
    static final class Hadoop extends LakeFiles {

        private final Configuration configuration;

        Hadoop(Configuration configuration) {
            this.configuration = configuration;
        }

        private FileSystem fs(Path path) throws IOException {
            return path.getFileSystem(configuration);
        }

        @Override
        Optional<byte[]> read(String file) {
            Path path = new Path(file);
            try {
                FileSystem fs = fs(path);
                try (FSDataInputStream in = fs.open(path)) {
                    return Optional.of(in.readAllBytes());
                }
            } catch (java.io.FileNotFoundException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        @Override
        void write(String file, byte[] content) {
            Path path = new Path(file);
            try (FSDataOutputStream out = fs(path).create(path, true)) {
                out.write(content);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        @Override
        void replace(String file, byte[] content) {
            Path path = new Path(file);
            try {
                FileSystem fs = fs(path);
                if (fs.getScheme().startsWith("s3")) {
                    write(file, content);
                    return;
                }
                Path temporary = new Path(path.getParent(), "." + path.getName() + "." + System.nanoTime());
                try (FSDataOutputStream out = fs.create(temporary, false)) {
                    out.write(content);
                }
                FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(temporary, path, Options.Rename.OVERWRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replace " + file, e);
            }
        }

        @Override
        List<String> files(String directory) {
            Path root = new Path(directory);
            List<String> files = new ArrayList<>();
            try {
                FileSystem fs = fs(root);
                String prefix = fs.makeQualified(root).toString().replaceAll("/+$", "") + "/";
                // one recursive listing: on S3 a flat LIST of the prefix, not a request per directory
                RemoteIterator<LocatedFileStatus> listing = fs.listFiles(root, true);
                while (listing.hasNext()) {
                    String file = listing.next().getPath().toString();
                    files.add(file.startsWith(prefix) ? file.substring(prefix.length()) : file);
                }
            } catch (java.io.FileNotFoundException e) {
                return List.of();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + directory, e);
            }
            files.sort(null);
            return files;
        }

        @Override
        List<String> directories(String directory) {
            Path root = new Path(directory);
            List<String> directories = new ArrayList<>();
            try {
                for (FileStatus status : fs(root).listStatus(root)) {
                    if (status.isDirectory()) {
                        directories.add(status.getPath().getName());
                    }
                }
            } catch (java.io.FileNotFoundException e) {
                return List.of();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + directory, e);
            }
            directories.sort(null);
            return directories;
        }

        @Override
        void delete(String path) {
            Path target = new Path(path);
            try {
                fs(target).delete(target, true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }

        @Override
        long rows(String parquetFile) {
            try {
                return rows(HadoopInputFile.fromPath(new Path(parquetFile), configuration), parquetFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + parquetFile, e);
            }
        }

        @Override
        long size(String file) {
            try {
                Path path = new Path(file);
                return path.getFileSystem(configuration).getFileStatus(path).getLen();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of " + file, e);
            }
        }
    }
}
