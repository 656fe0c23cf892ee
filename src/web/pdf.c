/*
 * pdf.c — HTML to PDF through headless Chromium (see the header).
 */
#include "web/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"

extern char **environ;

static atomic_int running;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return SH_EIO;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return SH_EIO;
        }
        off += (size_t)w;
    }
    return close(fd) == 0 ? SH_OK : SH_EIO;
}

static int read_file(const char *path, buf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return SH_EUNAVAIL; /* the browser wrote nothing */
    char chunk[65536];
    size_t total = 0;
    int rc = SH_OK;
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = SH_EIO;
            break;
        }
        if (r == 0)
            break;
        total += (size_t)r;
        if (total > PDF_MAX_BYTES) {
            rc = SH_ELIMIT;
            break;
        }
        if ((rc = buf_append(out, chunk, (size_t)r)))
            break;
    }
    close(fd);
    return rc;
}

/* Waits for the browser at most PDF_TIMEOUT_S, then kills it. */
static int wait_browser(pid_t pid)
{
    struct timespec start, now, nap = {0, 20 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? SH_OK : SH_EUNAVAIL;
        if (r < 0 && errno != EINTR)
            return SH_EUNAVAIL;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= PDF_TIMEOUT_S) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return SH_EUNAVAIL;
        }
        nanosleep(&nap, NULL);
    }
}

static int print_in(const char *dir, const char *html, size_t len, buf *out)
{
    char page[512], pdf[512], profile[512], out_arg[600], profile_arg[600], url[600];
    snprintf(page, sizeof page, "%s/plan.html", dir);
    snprintf(pdf, sizeof pdf, "%s/plan.pdf", dir);
    snprintf(profile, sizeof profile, "%s/profile", dir);
    snprintf(out_arg, sizeof out_arg, "--print-to-pdf=%s", pdf);
    snprintf(profile_arg, sizeof profile_arg, "--user-data-dir=%s", profile);
    snprintf(url, sizeof url, "file://%s", page);
    int rc = write_file(page, html, len);
    if (rc)
        return rc;
    const char *browser = getenv("SENDHUB_CHROMIUM");
    if (!browser || !*browser)
        browser = "/usr/bin/chromium";
    /* Chromium's sandbox cannot start as root (containers, CI): only then is
     * it turned off; the document is our own, and its Content-Security-
     * Policy forbids scripts and every fetch. (Turning scripts off in the
     * browser stops it printing at all.) */
    const char *argv[16];
    int k = 0;
    argv[k++] = browser;
    argv[k++] = "--headless";
    argv[k++] = "--disable-gpu";
    argv[k++] = "--no-pdf-header-footer";
    argv[k++] = "--no-first-run";
    argv[k++] = "--disable-extensions";
    if (geteuid() == 0)
        argv[k++] = "--no-sandbox";
    argv[k++] = profile_arg;
    argv[k++] = out_arg;
    argv[k++] = url;
    argv[k] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int e = posix_spawn(&pid, browser, &fa, NULL, (char *const *)(uintptr_t)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e != 0)
        return SH_EUNAVAIL;
    rc = wait_browser(pid);
    return rc ? rc : read_file(pdf, out);
}

int pdf_from_html(const char *html, size_t len, buf *out)
{
    if (atomic_fetch_add(&running, 1) >= PDF_MAX_RUNNING) {
        atomic_fetch_sub(&running, 1);
        return SH_EUNAVAIL;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[400];
    snprintf(dir, sizeof dir, "%s/sendhub-pdf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int rc = SH_EIO;
    if (mkdtemp(dir)) {
        rc = print_in(dir, html, len, out);
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    atomic_fetch_sub(&running, 1);
    return rc;
}
