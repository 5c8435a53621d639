/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fsprobe: files through musl's own wrappers (stdio, opendir, stat,
 * getpwnam, getaddrinfo...), so the syscall numbers and the ABI
 * structures are the ones applications use. One line per check,
 * "fsprobe: <name>: ok" or "fsprobe: <name>: FAIL <why>"; the exit status
 * is the number of failures.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
	printf("fsprobe: %s: %s%s", name, ok ? "ok" : "FAIL ", ok ? "" : why);
	if (!ok && errno)
		printf(" (errno %d: %s)", errno, strerror(errno));
	printf("\n");
	failures += !ok;
	errno = 0;
}

static void probe_stdio(void)
{
	char line[64] = "";
	FILE *f = fopen("/tmp/probe.txt", "w+");
	struct stat st;

	check("fopen_create", f != NULL, "fopen(w+)");
	if (!f)
		return;
	fprintf(f, "line one\nline %d\n", 2);
	check("fflush", fflush(f) == 0, "fflush");
	rewind(f);
	check("fgets", fgets(line, sizeof(line), f) && !strcmp(line, "line one\n"),
	      "first line read back");
	check("fseek_ftell", fseek(f, 0, SEEK_END) == 0 && ftell(f) == 16,
	      "size 16 at the end");
	check("fclose", fclose(f) == 0, "fclose");
	check("stat_size", stat("/tmp/probe.txt", &st) == 0 && st.st_size == 16 &&
				   S_ISREG(st.st_mode),
	      "stat of the new file");
	f = fopen("/tmp/probe.txt", "a");
	check("append", f && fputs("three\n", f) >= 0 && fclose(f) == 0 &&
				stat("/tmp/probe.txt", &st) == 0 && st.st_size == 22,
	      "fopen(a) appends");
	check("missing_is_enoent", !fopen("/tmp/none/x", "r") && errno == ENOENT,
	      "fopen of a missing path");
}

static void probe_dirs(void)
{
	char cwd[PATH_MAX], real[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int seen = 0;

	check("mkdir", mkdir("/tmp/dir", 0755) == 0 && mkdir("/tmp/dir/a", 0755) == 0,
	      "mkdir");
	check("rename", rename("/tmp/probe.txt", "/tmp/dir/moved.txt") == 0 &&
				access("/tmp/probe.txt", F_OK) == -1 &&
				access("/tmp/dir/moved.txt", R_OK) == 0,
	      "rename into a directory");
	d = opendir("/tmp/dir");
	check("opendir", d != NULL, "opendir");
	while (d && (e = readdir(d)))
		seen += !strcmp(e->d_name, "a") * 1 + !strcmp(e->d_name, "moved.txt") * 2 +
			!strcmp(e->d_name, ".") * 4 + !strcmp(e->d_name, "..") * 8;
	check("readdir", seen == 15, "., .., a and moved.txt listed once each");
	if (d)
		closedir(d);
	check("chdir_getcwd", chdir("/tmp/dir/a") == 0 && getcwd(cwd, sizeof(cwd)) &&
				      !strcmp(cwd, "/tmp/dir/a"),
	      "getcwd after chdir");
	check("realpath", realpath("../a/./../moved.txt", real) &&
				  !strcmp(real, "/tmp/dir/moved.txt"),
	      "realpath of a relative path");
	check("chdir_back", chdir("/") == 0, "chdir /");
	check("rmdir_not_empty", rmdir("/tmp/dir") == -1 && errno == ENOTEMPTY,
	      "rmdir of a non-empty directory");
	check("cleanup", unlink("/tmp/dir/moved.txt") == 0 && rmdir("/tmp/dir/a") == 0 &&
				 rmdir("/tmp/dir") == 0,
	      "unlink and rmdir");
}

static void probe_unlinked_open(void)
{
	char buf[8] = "";
	int fd = open("/tmp/gone", O_RDWR | O_CREAT | O_TRUNC, 0600);

	check("open_unlink_read", fd >= 0 && write(fd, "kept", 4) == 4 &&
					  unlink("/tmp/gone") == 0 &&
					  pread(fd, buf, 4, 0) == 4 &&
					  !memcmp(buf, "kept", 4) && close(fd) == 0,
	      "an unlinked file stays readable until closed");
	fd = open("/tmp/locked", O_RDWR | O_CREAT, 0600);
	check("locks", fd >= 0 && lockf(fd, F_LOCK, 0) == 0 && flock(fd, LOCK_EX) == 0 &&
			       fsync(fd) == 0 && ftruncate(fd, 4096) == 0 &&
			       close(fd) == 0 && unlink("/tmp/locked") == 0,
	      "lockf, flock, fsync, ftruncate");
}

static void probe_dev(void)
{
	unsigned char buf[16] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY), nz = 0;
	FILE *null = fopen("/dev/null", "w");

	check("dev_urandom", fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf),
	      "read /dev/urandom");
	for (unsigned i = 0; i < sizeof(buf); i++)
		nz += buf[i] != 0;
	check("dev_urandom_bytes", nz > 4, "16 random bytes, mostly not 0");
	if (fd >= 0)
		close(fd);
	check("dev_null", null && fprintf(null, "x") == 1 && fclose(null) == 0,
	      "write /dev/null");
}

static void probe_etc(void)
{
	struct passwd *pw = getpwnam("root");
	struct group *gr;
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai = NULL;

	check("getpwnam_root", pw && pw->pw_uid == 0 && !strcmp(pw->pw_dir, "/root"),
	      "getpwnam(\"root\")");
	pw = getpwuid(getuid());
	check("getpwuid_self", pw && !strcmp(pw->pw_name, "root"), "getpwuid(getuid())");
	gr = getgrgid(0);
	check("getgrgid_0", gr && !strcmp(gr->gr_name, "root"), "getgrgid(0)");
	check("getaddrinfo_localhost",
	      getaddrinfo("localhost", "80", &hints, &ai) == 0 && ai &&
		      ((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr == htonl(0x7f000001),
	      "localhost is 127.0.0.1");
	if (ai)
		freeaddrinfo(ai);
}

int main(void)
{
	probe_stdio();
	probe_dirs();
	probe_unlinked_open();
	probe_dev();
	probe_etc();
	printf("fsprobe: %d failures\n", failures);
	return failures;
}
