#define _GNU_SOURCE
#include "sandbox_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report_and_exit(int fd, int stage) {
  int message[2] = {stage, errno};
  ssize_t ignored = write(fd, message, sizeof message);
  (void)ignored;
  _exit(127);
}

/// Whether `path` lies strictly inside `folder`.
static int is_inside(const char *path, const char *folder) {
  size_t length = strlen(folder);
  return strncmp(path, folder, length) == 0 && path[length] == '/';
}

/// Mounts an empty tmpfs over `folder` (when it is a folder) and binds each `keep` folder inside it back to its
/// place, through a descriptor opened before the cover. Plain system calls only (runs between fork and exec).
static int cover_keeping(const char *folder, const char *const *keep, int keep_count) {
  struct stat info;
  if (lstat(folder, &info) != 0 || !S_ISDIR(info.st_mode)) return 0;
  enum { most = 16 };
  int kept[most];
  const char *kept_path[most];
  int count = 0;
  for (int index = 0; index < keep_count && count < most; index++) {
    if (!is_inside(keep[index], folder) || strlen(keep[index]) >= 4096) continue;
    int handle = open(keep[index], O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (handle < 0) continue;
    kept[count] = handle;
    kept_path[count++] = keep[index];
  }
  if (mount("assay-tmp", folder, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=256m") != 0) return -1;
  for (int index = 0; index < count; index++) {
    char path[4096];
    strcpy(path, kept_path[index]);
    for (char *cursor = path + strlen(folder) + 1; *cursor; cursor++) {
      if (*cursor != '/') continue;
      *cursor = 0;
      if (mkdir(path, 0755) != 0 && errno != EEXIST) return -1;
      *cursor = '/';
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST) return -1;
    char source[32] = "/proc/self/fd/";
    char digits[12];
    int length = 0;
    for (int number = kept[index]; number > 0 || length == 0; number /= 10) digits[length++] = (char)('0' + number % 10);
    int end = 14;
    while (length > 0) source[end++] = digits[--length];
    source[end] = 0;
    if (mount(source, path, NULL, MS_BIND | MS_REC, NULL) != 0) return -1;
    close(kept[index]);
  }
  return 0;
}

int assay_spawn(const assay_spawn_request *request, pid_t *pid, int *stage) {
  int status_pipe[2];
  if (pipe2(status_pipe, O_CLOEXEC) != 0) {
    *stage = 1;
    return errno;
  }
  pid_t child = fork();
  if (child < 0) {
    int saved = errno;
    close(status_pipe[0]);
    close(status_pipe[1]);
    *stage = 1;
    return saved;
  }
  if (child == 0) {
    int fd = status_pipe[1];
    // Threads of the parent block signals and libraries ignore SIGPIPE: neither may leak into the sample.
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
      if (signal_number != SIGKILL && signal_number != SIGSTOP) signal(signal_number, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (setsid() < 0) report_and_exit(fd, 2);
    if (dup2(request->stdin_fd, 0) < 0 || dup2(request->stdout_fd, 1) < 0 || dup2(request->stderr_fd, 2) < 0) {
      report_and_exit(fd, 3);
    }
    // Nothing else the harness has open (or inherited) reaches the sample: mark every other descriptor
    // close-on-exec (the status pipe must stay open until execve).
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) != 0)
#endif
    {
      for (int other = 3; other < 4096; other++) fcntl(other, F_SETFD, FD_CLOEXEC);
    }
    int namespaces = (request->unshare_net ? CLONE_NEWNET : 0) | (request->private_temp ? CLONE_NEWNS | CLONE_NEWIPC : 0);
    if (namespaces && unshare(namespaces) != 0) report_and_exit(fd, 4);
    if (request->private_temp) {
      // The folders every user may write, made empty and private to this process tree: nothing a sample leaves
      // there reaches the host or a later sample, and it all goes when the last process of the tree ends.
      if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) report_and_exit(fd, 9);
      static const char *const shared_folders[] = {"/tmp", "/var/tmp", "/dev/shm", "/run/lock"};
      for (unsigned index = 0; index < sizeof shared_folders / sizeof shared_folders[0]; index++) {
        if (cover_keeping(shared_folders[index], request->keep, request->keep_count) != 0) report_and_exit(fd, 9);
      }
    }
    if (request->gid >= 0) {
      if (setgroups(0, NULL) != 0 || setgid((gid_t)request->gid) != 0) report_and_exit(fd, 5);
    }
    if (request->uid >= 0 && setuid((uid_t)request->uid) != 0) report_and_exit(fd, 5);
    for (int index = 0; index < request->limit_count; index++) {
      struct rlimit limit = {(rlim_t)request->limits[index].value, (rlim_t)request->limits[index].value};
      if (setrlimit(request->limits[index].resource, &limit) != 0) report_and_exit(fd, 6);
    }
    if (request->cwd && chdir(request->cwd) != 0) report_and_exit(fd, 7);
    execve(request->path, request->argv, request->envp);
    report_and_exit(fd, 8);
  }
  close(status_pipe[1]);
  int message[2] = {0, 0};
  ssize_t got;
  do {
    got = read(status_pipe[0], message, sizeof message);
  } while (got < 0 && errno == EINTR);
  close(status_pipe[0]);
  if (got == (ssize_t)sizeof message) {
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    *stage = message[0];
    return message[1] ? message[1] : EINVAL;
  }
  *pid = child;
  *stage = 0;
  return 0;
}

int assay_kill_uid(int uid) {
  if (uid <= 0) return EINVAL;
  pid_t killer = fork();
  if (killer < 0) return errno;
  if (killer == 0) {
    if (setgroups(0, NULL) != 0 || setgid((gid_t)uid) != 0 || setuid((uid_t)uid) != 0) _exit(2);
    // kill(-1) reaches every process this user may signal but itself, in one pass that a fork cannot escape.
    kill(-1, SIGKILL);
    _exit(0);
  }
  int status = 0;
  while (waitpid(killer, &status, 0) < 0) {
    if (errno != EINTR) return errno;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2) return EPERM;
  return 0;
}

int assay_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

_Static_assert(ASSAY_RLIMIT_CPU == RLIMIT_CPU && ASSAY_RLIMIT_FSIZE == RLIMIT_FSIZE && ASSAY_RLIMIT_CORE == RLIMIT_CORE
                   && ASSAY_RLIMIT_NPROC == RLIMIT_NPROC && ASSAY_RLIMIT_NOFILE == RLIMIT_NOFILE && ASSAY_RLIMIT_AS == RLIMIT_AS,
               "RLIMIT numbers differ on this platform");

int assay_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
  return (int)syscall(SYS_pidfd_open, pid, 0);
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}
