// SPDX-License-Identifier: GPL-3.0-or-later
/* sendfile-limit.c — the physical limit for a download on this machine.
 *
 *   sendfile-limit FILE [READ_BUFFER_BYTES [READER_CPU]]
 *
 * sendfile(2)s FILE into a loopback TCP socket whose other end a second process reads into a
 * buffer and throws away: what an FTP server's data connection costs with no FTP around it.
 * No server can send faster over loopback, so bench/run divides every download rate by this.
 * The reader uses READ_BUFFER_BYTES per read(2) (default 131072); bench/run passes curl's
 * receive buffer size too, so that the limit and the clients read alike.
 * With READER_CPU the reader runs on that CPU only; the sender keeps the affinity it was
 * started with (bench/run places it where the servers run, to compare like with like).
 *
 * Prints one line: "BYTES bytes in SECONDS s, sender CPU SECONDS s": the time from the first
 * byte sent to the reader's exit, and the CPU time the sending process spent (what a server
 * at the limit would spend).
 * Plain POSIX C on purpose: bench/run builds it with `cc` alone, no GLib in the way.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
die (const char *what)
{
  fprintf (stderr, "sendfile-limit: %s: %s\n", what, strerror (errno));
  exit (1);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (double) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
         + (double) (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
now_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* The child: connect, read everything, exit 0 only if every byte arrived. A negative
 * reader_cpu leaves its affinity as inherited. */
static void
read_all (const struct sockaddr_in *address,
          size_t                    buffer_size,
          int                       reader_cpu,
          off_t                     expected)
{
  char *buffer = malloc (buffer_size);
  off_t received = 0;
  int fd;

  if (reader_cpu >= 0)
    {
      cpu_set_t only;

      CPU_ZERO (&only);
      CPU_SET (reader_cpu, &only);
      if (sched_setaffinity (0, sizeof only, &only) < 0)
        die ("sched_setaffinity (reader)");
    }
  if (buffer == NULL)
    die ("malloc");
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    die ("socket (reader)");
  if (connect (fd, (const struct sockaddr *) address, sizeof *address) < 0)
    die ("connect");
  for (;;)
    {
      ssize_t n = read (fd, buffer, buffer_size);

      if (n == 0)
        break;
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          die ("read");
        }
      received += n;
    }
  close (fd);
  free (buffer);
  _exit (received == expected ? 0 : 2);
}

int
main (int   argc,
      char *argv[])
{
  struct sockaddr_in address;
  socklen_t address_len = sizeof address;
  size_t buffer_size = 131072;
  int reader_cpu = -1;
  struct stat st;
  off_t offset = 0;
  double started, elapsed, cpu_started, cpu;
  int file_fd, listen_fd, data_fd, status;
  pid_t reader;

  if (argc < 2 || argc > 4)
    {
      fprintf (stderr, "usage: %s FILE [READ_BUFFER_BYTES [READER_CPU]]\n", argv[0]);
      return 1;
    }
  if (argc >= 3)
    {
      char *end = NULL;
      unsigned long long value = strtoull (argv[2], &end, 10);

      if (end == argv[2] || *end != '\0' || value == 0 || value > (1u << 30))
        {
          fprintf (stderr, "sendfile-limit: “%s” is not a buffer size in bytes\n", argv[2]);
          return 1;
        }
      buffer_size = (size_t) value;
    }
  if (argc == 4)
    {
      char *end = NULL;
      long value = strtol (argv[3], &end, 10);

      if (end == argv[3] || *end != '\0' || value < 0 || value >= CPU_SETSIZE)
        {
          fprintf (stderr, "sendfile-limit: “%s” is not a CPU number\n", argv[3]);
          return 1;
        }
      reader_cpu = (int) value;
    }

  file_fd = open (argv[1], O_RDONLY | O_CLOEXEC);
  if (file_fd < 0)
    die (argv[1]);
  if (fstat (file_fd, &st) < 0)
    die ("fstat");

  listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd < 0)
    die ("socket");
  memset (&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (listen_fd, (struct sockaddr *) &address, sizeof address) < 0
      || listen (listen_fd, 1) < 0
      || getsockname (listen_fd, (struct sockaddr *) &address, &address_len) < 0)
    die ("listen on 127.0.0.1");

  reader = fork ();
  if (reader < 0)
    die ("fork");
  if (reader == 0)
    read_all (&address, buffer_size, reader_cpu, st.st_size);

  data_fd = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (data_fd < 0)
    die ("accept");

  started = now_seconds ();
  cpu_started = cpu_seconds ();
  while (offset < st.st_size)
    {
      ssize_t sent = sendfile (data_fd, file_fd, &offset, (size_t) (st.st_size - offset));

      if (sent < 0)
        {
          if (errno == EINTR)
            continue;
          die ("sendfile");
        }
      if (sent == 0)
        break;
    }
  close (data_fd);
  cpu = cpu_seconds () - cpu_started;
  if (waitpid (reader, &status, 0) < 0)
    die ("waitpid");
  elapsed = now_seconds () - started;

  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      fprintf (stderr, "sendfile-limit: the reader did not receive all %jd bytes\n",
               (intmax_t) st.st_size);
      return 1;
    }
  printf ("%jd bytes in %.6f s, sender CPU %.6f s\n", (intmax_t) st.st_size, elapsed, cpu);
  return 0;
}
