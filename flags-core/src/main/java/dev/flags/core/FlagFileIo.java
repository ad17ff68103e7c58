package dev.flags.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** The file system calls of {@link FileRepository} that need care. Stateless and thread-safe. */
final class FlagFileIo {

  private static final System.Logger LOG = System.getLogger(FileFlagAdmin.class.getName());

  private FlagFileIo() {}

  /** The size of the file without an incomplete last line. */
  static long endOfLastLine(FileChannel ch) throws IOException {
    long size = ch.size();
    long pos = size;
    ByteBuffer one = ByteBuffer.allocate(4096);
    while (pos > 0) {
      int n = (int) Math.min(one.capacity(), pos);
      one.clear().limit(n);
      ch.read(one, pos - n);
      for (int i = n - 1; i >= 0; i--) {
        if (one.get(i) == '\n') {
          return pos - n + i + 1;
        }
      }
      pos -= n;
    }
    return 0;
  }

  /**
   * Whether a directory this user cannot write is on a read-only file system. The file store's own
   * flag misses some (a read-only bind mount of a writable file system), so this tries to create a
   * file there: where it cannot be written anyway, the error says why.
   */
  static boolean isOnReadOnlyFileSystem(Path dir) {
    try {
      Path probe = Files.createTempFile(dir, "." + FileRepository.TEMP_MARK, ".tmp");
      deleteQuietly(probe);
      return false;
    } catch (ReadOnlyFileSystemException e) {
      return true;
    } catch (FileSystemException e) {
      return e.getReason() != null && e.getReason().contains("Read-only file system");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static boolean isReadOnlyProblem(Exception e) {
    if (e instanceof AccessDeniedException || e instanceof ReadOnlyFileSystemException) {
      return true;
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      String reason = f.getReason();
      return reason.contains("Read-only file system") || reason.contains("Operation not permitted");
    }
    return false;
  }

  static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /**
   * Gives {@code to} the owner, group and permissions of {@code from}, where the file system has
   * them, so a rewritten file stays readable by the application that reads it (and writable by the
   * users who could write it). Only root may change the owner: elsewhere that part is skipped.
   */
  static void copyOwnerAndPermissions(Path from, Path to, boolean dropExecute) {
    PosixFileAttributeView target = Files.getFileAttributeView(to, PosixFileAttributeView.class);
    if (target == null || !Files.exists(from)) {
      return;
    }
    PosixFileAttributes source;
    try {
      source = Files.readAttributes(from, PosixFileAttributes.class);
    } catch (IOException | UnsupportedOperationException e) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions = source.permissions();
      if (dropExecute) {
        permissions.remove(PosixFilePermission.OWNER_EXECUTE);
        permissions.remove(PosixFilePermission.GROUP_EXECUTE);
        permissions.remove(PosixFilePermission.OTHERS_EXECUTE);
      }
      target.setPermissions(permissions);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "Cannot set the permissions of {0}: {1}", to, e);
    }
    try {
      target.setGroup(source.group());
      target.setOwner(source.owner());
    } catch (IOException | RuntimeException e) {
      // Not root: the file belongs to whoever writes it, as any file this user creates.
    }
  }

  static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      // Not every platform can sync a directory; the rename is atomic either way.
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "Cannot delete {0}: {1}", p, e);
    }
  }

  static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  static String name(Path p) {
    Path n = p.getFileName();
    return n == null ? p.toString() : n.toString();
  }
}
