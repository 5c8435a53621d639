/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --self-test: a client inside the server's own process and loop. It
 * connects to the listener (non-blocking connect, EINPROGRESS, completion
 * seen through epoll), sends three pipelined requests and checks the
 * answers: GET / (200 and the configured body, byte for byte), GET
 * /missing (404), GET /metrics with "Connection: close" (200, Prometheus
 * text), then end of file. In the guest this exercises connect() to a
 * listener of the same image over loopback.
 */
#ifndef HTTPD_SELFTEST_H
#define HTTPD_SELFTEST_H

#include <stdint.h>

struct server;
struct selftest;

/* The whole check may take this long. */
#define SELFTEST_TIMEOUT_MS 10000

/* Start the client; s->stop and s->exit_status are set when it is done.
 * 0, or -1 (with a message) if it could not start. */
int selftest_start(struct server *s);
void selftest_event(struct server *s, uint32_t events);
uint64_t selftest_deadline(const struct selftest *t);
void selftest_expire(struct server *s);
void selftest_free(struct server *s);

#endif
