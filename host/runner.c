/* SPDX-License-Identifier: BSD-3-Clause */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <unitune/abi.h>

#include "accel.h"
#include "cmdline.h"
#include "console.h"
#include "exitcode.h"
#include "image.h"
#include "paths.h"
#include "spawn.h"
#include "strbuf.h"

const char *runner_accel_name(enum runner_accel a)
{
	switch (a) {
	case RUNNER_ACCEL_AUTO:
		return "auto";
	case RUNNER_ACCEL_TCG:
		return "tcg";
	case RUNNER_ACCEL_KVM:
		return "kvm";
	}
	return "?";
}

struct argv_list {
	char **v;
	size_t n, cap;
};

static int argv_add(struct argv_list *a, const char *s)
{
	char **v;
	char *dup;

	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;

		v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	dup = strdup(s);
	if (!dup)
		return -ENOMEM;
	a->v[a->n++] = dup;
	a->v[a->n] = NULL;
	return 0;
}

void runner_argv_free(char **argv)
{
	char **p;

	if (!argv)
		return;
	for (p = argv; *p; p++)
		free(*p);
	free(argv);
}

static bool port_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int runner_port_check(const struct runner_port *p, char *why, size_t why_len)
{
	const char *slash, *c;
	struct stat st;
	char *dir = NULL;
	int err = -EINVAL;

	if (!p->name || !*p->name) {
		snprintf(why, why_len, "port name is empty");
		goto out;
	}
	for (c = p->name; *c; c++) {
		if (!port_name_char(*c)) {
			snprintf(why, why_len, "port name '%s' has '%c': use "
				 "letters, digits, '.', '_' and '-'", p->name,
				 *c);
			goto out;
		}
	}
	if (strlen(p->name) > RUNNER_PORT_NAME_MAX) {
		snprintf(why, why_len, "port name '%.20s...' is longer than %d "
			 "bytes", p->name, RUNNER_PORT_NAME_MAX);
		goto out;
	}
	if (!p->path || !*p->path) {
		snprintf(why, why_len, "port '%s' has no file", p->name);
		goto out;
	}
	/* QEMU creates the file; its directory must be there already. */
	slash = strrchr(p->path, '/');
	dir = slash ? strndup(p->path, slash == p->path ? 1 :
				       (size_t)(slash - p->path))
		    : strdup(".");
	if (!dir) {
		snprintf(why, why_len, "out of memory");
		err = -ENOMEM;
		goto out;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "port '%s': directory '%s' of '%s' does "
			 "not exist", p->name, dir, p->path);
		goto out;
	}
	if (!stat(p->path, &st) && S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "port '%s': '%s' is a directory",
			 p->name, p->path);
		goto out;
	}
	err = 0;
out:
	free(dir);
	return err;
}

int runner_port_parse(char *arg, struct runner_port *p, char *why,
		      size_t why_len)
{
	char *eq = strchr(arg, '=');

	if (!eq) {
		snprintf(why, why_len, "'%s' is not NAME=FILE", arg);
		return -EINVAL;
	}
	*eq = '\0';
	p->name = arg;
	p->path = eq + 1;
	return runner_port_check(p, why, why_len);
}

/* QEMU's option syntax separates with ',' and doubles a literal one. */
static int add_port_args(struct argv_list *a, const struct runner_port *p,
			 size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *c;
	int err = argv_add(a, "-chardev");

	if (!err)
		err = strbuf_addf(&sb, "file,id=utport%zu,path=", n);
	for (c = p->path; !err && *c; c++)
		err = *c == ',' ? strbuf_adds(&sb, ",,") : strbuf_addc(&sb, *c);
	if (!err)
		err = strbuf_addc(&sb, '\0');
	if (!err)
		err = argv_add(a, sb.buf);
	if (!err)
		err = argv_add(a, "-device");
	sb.len = 0;
	if (!err)
		err = strbuf_addf(&sb, "virtserialport,chardev=utport%zu,name=%s",
				  n, p->name);
	if (!err)
		err = strbuf_addc(&sb, '\0');
	if (!err)
		err = argv_add(a, sb.buf);
	strbuf_release(&sb);
	return err;
}

static int check_ports(const struct runner_opts *o)
{
	char why[256];
	size_t i, j;

	if (o->nports && !o->ports)
		return -EINVAL;
	for (i = 0; i < o->nports; i++) {
		if (runner_port_check(&o->ports[i], why, sizeof(why)))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (!strcmp(o->ports[i].name, o->ports[j].name))
				return -EINVAL;
	}
	return 0;
}

int runner_qemu_argv(const struct runner_opts *o, enum runner_accel accel,
		     char ***argv)
{
	static const char *const fixed[] = {
		"-M", "microvm,x-option-roms=off,auto-kernel-cmdline=off",
		"-nodefaults", "-no-user-config", "-display", "none",
		"-no-reboot",
		"-chardev", "stdio,id=con,signal=off",
		"-serial", "chardev:con",
		"-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
	};
	struct argv_list a = { 0 };
	char mem[32], *cmdline = NULL;
	size_t i;
	int err;

	*argv = NULL;
	if (!o->image || (accel != RUNNER_ACCEL_TCG && accel != RUNNER_ACCEL_KVM) ||
	    (o->deterministic && accel != RUNNER_ACCEL_TCG)) {
		err = -EINVAL;
		goto out;
	}
	err = check_ports(o);
	if (err)
		goto out;
	err = cmdline_build(o->kernel_opts, o->app_argv, o->app_argc, &cmdline);
	if (err)
		goto out;
	snprintf(mem, sizeof(mem), "%lluK",
		 (unsigned long long)(o->mem_kib ? o->mem_kib :
					RUNNER_MEM_DEFAULT_KIB));
	err = argv_add(&a, o->qemu ? o->qemu : RUNNER_QEMU_DEFAULT);
	for (i = 0; !err && i < 2; i++)
		err = argv_add(&a, fixed[i]);
	if (!err)
		err = argv_add(&a, "-cpu");
	/* TCG cannot emulate "host"; KVM's "max" adds nothing over it. */
	if (!err)
		err = argv_add(&a, accel == RUNNER_ACCEL_KVM ? "host" : "max");
	if (!err)
		err = argv_add(&a, "-m");
	if (!err)
		err = argv_add(&a, mem);
	for (i = 2; !err && i < sizeof(fixed) / sizeof(fixed[0]); i++)
		err = argv_add(&a, fixed[i]);
	if (!err)
		err = argv_add(&a, "-kernel");
	if (!err)
		err = argv_add(&a, RUNNER_KERNEL_PATH);
	if (!err)
		err = argv_add(&a, "-append");
	if (!err)
		err = argv_add(&a, cmdline);
	if (!err)
		err = argv_add(&a, "-accel");
	if (!err)
		err = argv_add(&a, runner_accel_name(accel));
	if (!err && o->deterministic) {
		err = argv_add(&a, "-icount");
		if (!err)
			err = argv_add(&a, "shift=0,sleep=off");
	}
	/* The guest driver speaks virtio 1.x; QEMU's virtio-mmio defaults to
	 * the legacy layout. */
	if (!err && o->nports) {
		err = argv_add(&a, "-global");
		if (!err)
			err = argv_add(&a, "virtio-mmio.force-legacy=false");
		if (!err)
			err = argv_add(&a, "-device");
		if (!err)
			err = argv_add(&a, "virtio-serial-device");
	}
	for (i = 0; !err && i < o->nports; i++)
		err = add_port_args(&a, &o->ports[i], i);
	for (i = 0; !err && i < o->qemu_extra_n; i++)
		err = o->qemu_extra[i] ? argv_add(&a, o->qemu_extra[i]) : -EINVAL;
out:
	free(cmdline);
	if (err)
		runner_argv_free(a.v);
	else
		*argv = a.v;
	return err;
}

static void set_reason(struct runner_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_reason(struct runner_result *r, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	/* The reason is printed on one line whatever the guest sent. */
	for (p = r->reason; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

static bool mem_has(const char *s, size_t len, const char *needle)
{
	return len && memmem(s, len, needle, strlen(needle)) != NULL;
}

/*
 * QEMU's first error line, without its "qemu-system-x86_64: " and
 * "error: " decorations. Warnings are skipped: they rarely explain a
 * failure.
 */
static bool first_error_line(const char *s, size_t len, const char **line,
			     size_t *line_len)
{
	size_t pos = 0, n;
	const char *l, *colon, *space;

	while (console_next_line(s, len, &pos, &l, &n)) {
		if (n && l[n - 1] == '\r')
			n--;
		if (!n || mem_has(l, n, "warning:"))
			continue;
		colon = memmem(l, n, ": ", 2);
		space = memchr(l, ' ', n);
		if (colon && (!space || colon < space) &&
		    mem_has(l, (size_t)(colon - l), "qemu")) {
			n -= (size_t)(colon + 2 - l);
			l = colon + 2;
		}
		if (n > 7 && !memcmp(l, "error: ", 7)) {
			l += 7;
			n -= 7;
		}
		*line = l;
		*line_len = n;
		return true;
	}
	return false;
}

static void crash_reason(const char *console, size_t console_len,
			 const char *fallback, struct runner_result *r)
{
	const char *rest;
	size_t n;

	if (console_find_last(console, console_len, UNITUNE_MSG_CRASH, &rest,
			      &n) && n)
		set_reason(r, "%.*s", (int)n, rest);
	else
		set_reason(r, "%s", fallback);
}

/* The kind of crash the guest reported on its last status line. */
static int printed_crash_status(const char *console, size_t console_len)
{
	const char *rest;
	size_t n;
	int status;

	if (console_find_last(console, console_len, UNITUNE_MSG_CRASH_STATUS,
			      &rest, &n) &&
	    !console_parse_exit_status(rest, n, &status))
		return exitcode_crash_status(status);
	return exitcode_crash_status(-1);
}

void runner_classify(int wstatus, bool timed_out, int64_t timeout_ns,
		     const char *console, size_t console_len,
		     const char *qemu_stderr, size_t stderr_len,
		     struct runner_result *r)
{
	const char *line;
	size_t n;
	int code, status = -1;

	r->app_status = -1;
	r->crash_status = -1;
	r->reason[0] = '\0';
	if (timed_out) {
		r->outcome = RUNNER_TIMEOUT;
		set_reason(r, "guest did not exit within %.3g s",
			   (double)timeout_ns / 1e9);
		return;
	}
	if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);

		r->outcome = RUNNER_QEMU_FAILED;
		if (first_error_line(qemu_stderr, stderr_len, &line, &n))
			set_reason(r, "%.*s (QEMU killed by signal %d, %s)",
				   (int)n, line, sig, strsignal(sig));
		else
			set_reason(r, "QEMU killed by signal %d (%s)", sig,
				   strsignal(sig));
		return;
	}
	code = WEXITSTATUS(wstatus);
	switch (exitcode_decode(code, &status)) {
	case EXITCODE_APP:
		r->outcome = RUNNER_EXITED;
		r->app_status = status;
		return;
	case EXITCODE_APP_WIDE:
		if (console_find_last(console, console_len, UNITUNE_MSG_EXIT,
				      &line, &n) &&
		    !console_parse_exit_status(line, n, &status)) {
			r->outcome = RUNNER_EXITED;
			r->app_status = status;
			return;
		}
		r->outcome = RUNNER_CRASHED;
		r->crash_status = UNITUNE_CRASH_PANIC;
		set_reason(r, "guest exited with code 0x%x but printed no "
			   "valid '" UNITUNE_MSG_EXIT "<status>' line",
			   UNITUNE_EXIT_WIDE);
		return;
	case EXITCODE_CRASH:
		r->outcome = RUNNER_CRASHED;
		r->crash_status = printed_crash_status(console, console_len);
		crash_reason(console, console_len,
			     "guest reported a crash but printed no reason",
			     r);
		return;
	case EXITCODE_RESET:
		/* QEMU also exits 0 when a SIGINT/SIGTERM/SIGHUP from someone
		 * else asks it to quit; it says so on stderr. */
		if (mem_has(qemu_stderr, stderr_len, "terminating on signal") &&
		    first_error_line(qemu_stderr, stderr_len, &line, &n)) {
			r->outcome = RUNNER_QEMU_FAILED;
			set_reason(r, "%.*s", (int)n, line);
			return;
		}
		r->outcome = RUNNER_CRASHED;
		r->crash_status = UNITUNE_CRASH_RESET;
		crash_reason(console, console_len, "guest reset (triple fault)",
			     r);
		return;
	case EXITCODE_QEMU_ERROR:
		r->outcome = RUNNER_QEMU_FAILED;
		if (first_error_line(qemu_stderr, stderr_len, &line, &n))
			set_reason(r, "%.*s", (int)n, line);
		else
			set_reason(r, "QEMU exited with status 1 and no message");
		return;
	case EXITCODE_INVALID:
		break;
	}
	r->outcome = RUNNER_QEMU_FAILED;
	set_reason(r, "unexpected QEMU exit status %d", code);
}

struct capture {
	struct strbuf console;
	struct strbuf err;
	size_t console_max;
	size_t dropped;
	FILE *echo;
};

static int on_console(void *ctx, const char *buf, size_t n)
{
	struct capture *c = ctx;

	if (c->echo) {
		/* A closed echo must not stop the guest or lose the copy. */
		fwrite(buf, 1, n, c->echo);
		fflush(c->echo);
	}
	if (c->console.len + n > c->console_max) {
		/* Keep the tail, where the exit and crash lines are; drop
		 * half a buffer at a time so flooding stays linear. */
		size_t drop = c->console.len + n - c->console_max / 2;

		if (drop > c->console.len) {
			c->dropped += c->console.len;
			drop -= c->console.len;
			c->console.len = 0;
			buf += drop;
			n -= drop;
			c->dropped += drop;
		} else {
			strbuf_consume(&c->console, drop);
			c->dropped += drop;
		}
	}
	return strbuf_add(&c->console, buf, n);
}

static int on_stderr(void *ctx, const char *buf, size_t n)
{
	struct capture *c = ctx;

	if (c->err.len >= RUNNER_STDERR_MAX)
		return 0;
	if (n > RUNNER_STDERR_MAX - c->err.len)
		n = RUNNER_STDERR_MAX - c->err.len;
	return strbuf_add(&c->err, buf, n);
}

static void log_word(FILE *f, const char *w)
{
	const char *c;

	if (*w && !strpbrk(w, " \t\n\"'\\$`*?[]{}()<>|&;!#~")) {
		fputs(w, f);
		return;
	}
	fputc('\'', f);
	for (c = w; *c; c++) {
		if (*c == '\'')
			fputs("'\\''", f);
		else
			fputc(*c, f);
	}
	fputc('\'', f);
}

/* Print argv so it can be pasted into a shell, with the redirection that
 * opens the image as RUNNER_KERNEL_FD. */
static void log_command(FILE *f, char **argv, const char *image)
{
	char **p;

	fprintf(f, "unitune: qemu command:");
	for (p = argv; *p; p++) {
		fputc(' ', f);
		log_word(f, *p);
	}
	fprintf(f, " %d<", RUNNER_KERNEL_FD);
	log_word(f, image);
	fputc('\n', f);
	fflush(f);
}

/*
 * The image as descriptor RUNNER_KERNEL_FD of QEMU: QEMU's multiboot loader
 * puts the -kernel argument at the front of the guest's command line, which
 * the guest reads one character at a time before main(), so a path that
 * varied would change deterministic boot cycles. Returns a descriptor above
 * 2 (close-on-exec; spawn hands it over), or -errno.
 */
_Static_assert(RUNNER_KERNEL_FD == SPAWN_PASS_FD,
	       "spawn hands the image over as RUNNER_KERNEL_FD");

static int open_image(const char *image)
{
	int fd = open(image, O_RDONLY | O_CLOEXEC), high;

	if (fd < 0 || fd > 2)
		return fd < 0 ? -errno : fd;
	high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return high < 0 ? -errno : high;
}

void runner_result_free(struct runner_result *r)
{
	free(r->console);
	free(r->qemu_stderr);
	r->console = r->qemu_stderr = NULL;
	r->console_len = r->qemu_stderr_len = 0;
}

int runner_exit_status(const struct runner_result *r)
{
	return outcome_exit_status(r->outcome, r->outcome == RUNNER_CRASHED
						       ? r->crash_status
						       : r->app_status);
}

static int result_init(struct runner_result *r)
{
	memset(r, 0, sizeof(*r));
	r->app_status = -1;
	r->crash_status = -1;
	r->console = calloc(1, 1);
	r->qemu_stderr = calloc(1, 1);
	return r->console && r->qemu_stderr ? 0 : -ENOMEM;
}

int runner_run(const struct runner_opts *o, struct runner_result *r)
{
	struct spawn_cfg cfg = { .in = SPAWN_DEVNULL,
				 .out = SPAWN_PIPE,
				 .err = SPAWN_PIPE };
	struct capture cap = { .console = STRBUF_INIT, .err = STRBUF_INIT };
	struct spawn_wait_cfg wc = { 0 };
	struct spawn_exit ex;
	struct spawn sp;
	uint64_t load_end = 0, mem_kib;
	const char *qemu = o->qemu ? o->qemu : RUNNER_QEMU_DEFAULT;
	char qemu_path[PATH_MAX], why[256];
	char **argv = NULL;
	enum runner_accel accel = o->accel;
	int err, image_fd;

	err = result_init(r);
	if (err)
		goto out;
	if (!o->image || (o->deterministic && accel == RUNNER_ACCEL_KVM) ||
	    check_ports(o)) {
		err = -EINVAL;
		goto out;
	}
	if (image_check(o->image, why, sizeof(why)) ||
	    image_load_end(o->image, &load_end, why, sizeof(why))) {
		r->outcome = RUNNER_IMAGE_BAD;
		set_reason(r, "%s", why);
		goto out;
	}
	/* Below its own end the guest cannot even start to say so. */
	mem_kib = o->mem_kib ? o->mem_kib : RUNNER_MEM_DEFAULT_KIB;
	if (load_end > mem_kib * 1024) {
		r->outcome = RUNNER_IMAGE_BAD;
		set_reason(r, "%s does not fit in %llu KiB of guest memory: it "
			   "loads up to %llu KiB; raise --mem", o->image,
			   (unsigned long long)mem_kib,
			   (unsigned long long)((load_end + 1023) / 1024));
		goto out;
	}
	if (paths_which(qemu, qemu_path, sizeof(qemu_path))) {
		r->outcome = RUNNER_NO_QEMU;
		set_reason(r, "%s not found; install with scripts/deps.sh or "
			   "apt-get install qemu-system-x86", qemu);
		goto out;
	}
	if (o->deterministic)
		accel = RUNNER_ACCEL_TCG;
	if (accel == RUNNER_ACCEL_AUTO) {
		err = accel_resolve(qemu, o->accel_cache, &accel, why,
				    sizeof(why));
		if (err)
			goto out;
		if (o->log)
			fprintf(o->log, "unitune: accelerator: %s (%s)\n",
				runner_accel_name(accel), why);
	} else if (o->log) {
		fprintf(o->log, "unitune: accelerator: %s (%s)\n",
			runner_accel_name(accel),
			o->deterministic ? "deterministic mode" : "requested");
	}
	r->accel = accel;
	err = runner_qemu_argv(o, accel, &argv);
	if (err)
		goto out;
	if (o->log)
		log_command(o->log, argv, o->image);
	image_fd = open_image(o->image);
	if (image_fd < 0) {
		r->outcome = RUNNER_IMAGE_BAD;
		set_reason(r, "cannot open %s: %s", o->image,
			   strerror(-image_fd));
		goto out;
	}
	cfg.pass_fd = image_fd;
	err = spawn_cmd(&sp, (const char *const *)argv, &cfg);
	close(image_fd);
	if (err == -ENOENT) {
		err = 0;
		r->outcome = RUNNER_NO_QEMU;
		set_reason(r, "%s not found; install with scripts/deps.sh or "
			   "apt-get install qemu-system-x86", qemu);
		goto out;
	}
	if (err == -EACCES || err == -ENOEXEC) {
		r->outcome = RUNNER_QEMU_FAILED;
		set_reason(r, "cannot execute %s: %s", qemu, strerror(-err));
		err = 0;
		goto out;
	}
	if (err)
		goto out;
	cap.console_max = o->console_max ? o->console_max :
					   RUNNER_CONSOLE_MAX_DEFAULT;
	cap.echo = o->echo;
	wc.timeout_ns = o->timeout_ns;
	wc.grace_ns = o->kill_grace_ns;
	wc.on_out = on_console;
	wc.on_err = on_stderr;
	wc.ctx = &cap;
	err = spawn_wait(&sp, &wc, &ex);
	if (err)
		goto out;
	r->qemu_ran = true;
	r->wstatus = ex.wstatus;
	r->wall_ns = ex.elapsed_ns;
	runner_classify(ex.wstatus, ex.timed_out, o->timeout_ns,
			cap.console.buf, cap.console.len, cap.err.buf,
			cap.err.len, r);
out:
	if (cap.console.buf) {
		free(r->console);
		r->console = strbuf_detach(&cap.console, &r->console_len);
		r->console_dropped = cap.dropped;
	}
	if (cap.err.buf) {
		free(r->qemu_stderr);
		r->qemu_stderr = strbuf_detach(&cap.err, &r->qemu_stderr_len);
	}
	runner_argv_free(argv);
	strbuf_release(&cap.console);
	strbuf_release(&cap.err);
	return err;
}
