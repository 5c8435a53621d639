/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot mechanics of qemu.h: QEMU's command line, the virtio-serial
 * ports, spawning QEMU with the image as a descriptor, and capturing its
 * console and stderr until it ends (classified in qemu_classify.c).
 */
#include "qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdline.h"
#include "linux_boot.h"
#include "spawn.h"
#include "strbuf.h"
#include "why.h"

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

const char *runner_net_name(enum runner_net n)
{
	switch (n) {
	case RUNNER_NET_NONE:
		return "none";
	case RUNNER_NET_USER:
		return "user";
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

int qemu_ports_check(const struct runner_port *ports, size_t n)
{
	char why[UNITUNE_WHY_MAX];
	size_t i, j;

	if (n && !ports)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (runner_port_check(&ports[i], why, sizeof(why)))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (!strcmp(ports[i].name, ports[j].name))
				return -EINVAL;
	}
	return 0;
}

static int argv_add_all(struct argv_list *a, const char *const *words,
			size_t n)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < n; i++)
		err = words[i] ? argv_add(a, words[i]) : -EINVAL;
	return err;
}

/* The machine, CPU and memory, before the fixed devices. */
static int add_machine_args(struct argv_list *a, const struct qemu_cfg *c)
{
	char mem[32];
	const char *words[] = {
		c->qemu ? c->qemu : RUNNER_QEMU_DEFAULT,
		"-M", "microvm,x-option-roms=off,auto-kernel-cmdline=off",
		/* TCG cannot emulate "host"; KVM's "max" adds nothing over
		 * it. */
		"-cpu", c->accel == RUNNER_ACCEL_KVM ? "host" : "max",
		"-m", mem,
	};

	snprintf(mem, sizeof(mem), "%lluK",
		 (unsigned long long)(c->mem_kib ? c->mem_kib :
						   RUNNER_MEM_DEFAULT_KIB));
	return argv_add_all(a, words, sizeof(words) / sizeof(words[0]));
}

/* The console, isa-debug-exit, the kernel and its command line, the
 * accelerator and -icount. */
static int add_boot_args(struct argv_list *a, const struct qemu_cfg *c,
			 const char *cmdline)
{
	const char *words[] = {
		"-nodefaults", "-no-user-config", "-display", "none",
		"-no-reboot",
		"-chardev", "stdio,id=con,signal=off",
		"-serial", "chardev:con",
		"-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
		"-kernel", RUNNER_KERNEL_PATH,
		"-append", cmdline,
		"-accel", runner_accel_name(c->accel),
	};
	/* sleep=off: a halted guest's clock jumps to its next timer at once;
	 * sleep=on: it follows the host's while the guest halts. Either way
	 * a running guest's clock counts its instructions. */
	static const char *const icount[] = { "-icount", "shift=0,sleep=off" };
	static const char *const icount_real_idle[] = { "-icount",
							"shift=0,sleep=on" };
	int err = argv_add_all(a, words, sizeof(words) / sizeof(words[0]));

	if (!err && c->initrd) {
		err = argv_add(a, "-initrd");
		if (!err)
			err = argv_add(a, c->initrd);
	}
	if (!err && c->deterministic)
		err = argv_add_all(a, c->real_idle ? icount_real_idle : icount,
				   2);
	return err;
}

/* The guest driver speaks virtio 1.x; QEMU's virtio-mmio defaults to the
 * legacy layout. Given once, before the first virtio device. */
static int add_virtio_modern(struct argv_list *a, const struct qemu_cfg *c)
{
	static const char *const global[] = {
		"-global", "virtio-mmio.force-legacy=false",
	};

	if (!c->nports && c->net == RUNNER_NET_NONE)
		return 0;
	return argv_add_all(a, global, 2);
}

static int add_ports(struct argv_list *a, const struct qemu_cfg *c)
{
	static const char *const device[] = { "-device", "virtio-serial-device" };
	size_t i;
	int err = 0;

	if (c->nports)
		err = argv_add_all(a, device, 2);
	for (i = 0; !err && i < c->nports; i++)
		err = add_port_args(a, &c->ports[i], i);
	return err;
}

/* User networking, restricted to QEMU itself, with one hostfwd rule per
 * published port, and its virtio-net device. */
static int add_net(struct argv_list *a, const struct qemu_cfg *c)
{
	static const char *const device[] = {
		"-device", "virtio-net-device,netdev=" QEMU_NETDEV_ID,
	};
	struct strbuf sb = STRBUF_INIT;
	char rule[64];
	size_t i;
	int err;

	if (c->net == RUNNER_NET_NONE)
		return 0;
	err = strbuf_adds(&sb, "user,id=" QEMU_NETDEV_ID ",restrict=on");
	for (i = 0; !err && i < c->npublish; i++) {
		publish_rule(&c->publish[i], rule, sizeof(rule));
		err = strbuf_addf(&sb, ",hostfwd=%s", rule);
	}
	if (!err)
		err = strbuf_addc(&sb, '\0');
	if (!err)
		err = argv_add(a, "-netdev");
	if (!err)
		err = argv_add(a, sb.buf);
	if (!err)
		err = argv_add_all(a, device, 2);
	strbuf_release(&sb);
	return err;
}

/* What qemu_argv accepts of the network: publish needs USER and host
 * ports the caller has made concrete. */
static int net_check(const struct qemu_cfg *c)
{
	char why[UNITUNE_WHY_MAX];
	size_t i;

	if (c->net != RUNNER_NET_NONE && c->net != RUNNER_NET_USER)
		return -EINVAL;
	if (!c->npublish)
		return 0;
	if (!c->publish || c->net != RUNNER_NET_USER ||
	    publish_check_list(c->publish, c->npublish, why, sizeof(why)))
		return -EINVAL;
	for (i = 0; i < c->npublish; i++)
		if (!c->publish[i].host)
			return -EINVAL;
	return 0;
}

int qemu_argv(const struct qemu_cfg *c, char ***argv)
{
	struct argv_list a = { 0 };
	char *cmdline = NULL;
	int err;

	*argv = NULL;
	if (!c->image ||
	    (c->accel != RUNNER_ACCEL_TCG && c->accel != RUNNER_ACCEL_KVM) ||
	    (c->deterministic && c->accel != RUNNER_ACCEL_TCG) ||
	    (c->real_idle && !c->deterministic))
		return -EINVAL;
	err = qemu_ports_check(c->ports, c->nports);
	if (!err)
		err = net_check(c);
	if (!err)
		err = c->initrd ? linux_boot_cmdline(c->kernel_opts, c->app_argv,
						     c->app_argc,
						     c->linux_tsc_khz, &cmdline)
				: cmdline_build(c->kernel_opts, c->app_argv,
						c->app_argc, &cmdline);
	if (!err)
		err = add_machine_args(&a, c);
	if (!err)
		err = add_boot_args(&a, c, cmdline);
	if (!err)
		err = add_virtio_modern(&a, c);
	if (!err)
		err = add_ports(&a, c);
	if (!err)
		err = add_net(&a, c);
	if (!err)
		err = argv_add_all(&a, c->qemu_extra, c->qemu_extra_n);
	free(cmdline);
	if (err)
		runner_argv_free(a.v);
	else
		*argv = a.v;
	return err;
}

struct capture {
	struct strbuf console;
	struct strbuf err;
	size_t console_max;
	size_t dropped;
	FILE *echo;
	const struct qemu_cfg *cfg;	/* for on_published */
	bool running;			/* the guest has printed */
};

static int on_console(void *ctx, const char *buf, size_t n)
{
	struct capture *c = ctx;

	if (!c->running) {
		c->running = true;
		if (c->cfg->npublish && c->cfg->on_published)
			c->cfg->on_published(c->cfg->on_published_ctx,
					     c->cfg->publish, c->cfg->npublish);
	}
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

int qemu_result_init(struct runner_result *r)
{
	memset(r, 0, sizeof(*r));
	r->app_status = -1;
	r->crash_status = -1;
	r->console = calloc(1, 1);
	r->qemu_stderr = calloc(1, 1);
	return r->console && r->qemu_stderr ? 0 : -ENOMEM;
}

void qemu_missing(struct runner_result *r, const char *qemu)
{
	r->outcome = RUNNER_NO_QEMU;
	qemu_set_reason(r, "%s not found; install with scripts/deps.sh or "
			"apt-get install qemu-system-x86", qemu);
}

/*
 * Open the image and start QEMU on argv. 1 and an outcome in r when it
 * could not start for a reason the user can act on, 0 when *sp runs, or
 * -errno.
 */
static int start(const struct qemu_cfg *c, char **argv, struct spawn *sp,
		 struct runner_result *r)
{
	struct spawn_cfg cfg = { .in = SPAWN_DEVNULL,
				 .out = SPAWN_PIPE,
				 .err = SPAWN_PIPE };
	const char *qemu = c->qemu ? c->qemu : RUNNER_QEMU_DEFAULT;
	int err, image_fd = open_image(c->image);

	if (image_fd < 0) {
		r->outcome = RUNNER_IMAGE_BAD;
		qemu_set_reason(r, "cannot open %s: %s", c->image,
				strerror(-image_fd));
		return 1;
	}
	cfg.pass_fd = image_fd;
	err = spawn_cmd(sp, (const char *const *)argv, &cfg);
	close(image_fd);
	if (err == -ENOENT) {
		qemu_missing(r, qemu);
		return 1;
	}
	if (err == -EACCES || err == -ENOEXEC) {
		r->outcome = RUNNER_QEMU_FAILED;
		qemu_set_reason(r, "cannot execute %s: %s", qemu,
				strerror(-err));
		return 1;
	}
	return err;
}

/* Wait for the QEMU started in *sp, capturing into cap, and classify. */
static int wait_and_classify(const struct qemu_cfg *c, struct spawn *sp,
			     struct capture *cap, struct runner_result *r)
{
	struct spawn_wait_cfg wc = { .timeout_ns = c->timeout_ns,
				     .grace_ns = c->kill_grace_ns,
				     .on_out = on_console,
				     .on_err = on_stderr,
				     .ctx = cap,
				     .stop_fd = c->stop_fd };
	struct spawn_exit ex;
	int err;

	cap->console_max = c->console_max ? c->console_max :
					    RUNNER_CONSOLE_MAX_DEFAULT;
	cap->echo = c->echo;
	cap->cfg = c;
	err = spawn_wait(sp, &wc, &ex);
	if (err)
		return err;
	r->qemu_ran = true;
	r->wstatus = ex.wstatus;
	r->wall_ns = ex.elapsed_ns;
	runner_classify(ex.wstatus, ex.timed_out, c->timeout_ns,
			cap->console.buf, cap->console.len, cap->err.buf,
			cap->err.len, r);
	r->stopped = ex.stopped;
	if (ex.stopped && r->outcome == RUNNER_QEMU_FAILED)
		qemu_set_reason(r, "stopped on request");
	return 0;
}

/* Hand what was captured over to r, which keeps it even on errors. */
static void keep_capture(struct capture *cap, struct runner_result *r)
{
	if (cap->console.buf) {
		free(r->console);
		r->console = strbuf_detach(&cap->console, &r->console_len);
		r->console_dropped = cap->dropped;
	}
	if (cap->err.buf) {
		free(r->qemu_stderr);
		r->qemu_stderr = strbuf_detach(&cap->err, &r->qemu_stderr_len);
	}
	strbuf_release(&cap->console);
	strbuf_release(&cap->err);
}

int qemu_boot(const struct qemu_cfg *c, struct runner_result *r)
{
	struct capture cap = { .console = STRBUF_INIT, .err = STRBUF_INIT };
	struct spawn sp;
	char **argv = NULL;
	int err;

	r->accel = c->accel;
	err = qemu_argv(c, &argv);
	if (err)
		return err;
	if (c->npublish)
		memcpy(r->published, c->publish,
		       c->npublish * sizeof(*c->publish));
	r->npublished = c->npublish;
	if (c->log)
		log_command(c->log, argv, c->image);
	err = start(c, argv, &sp, r);
	if (!err)
		err = wait_and_classify(c, &sp, &cap, r);
	keep_capture(&cap, r);
	runner_argv_free(argv);
	return err > 0 ? 0 : err;
}
