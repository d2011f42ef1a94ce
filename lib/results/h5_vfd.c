#define _POSIX_C_SOURCE 200809L
/* The writer's HDF5 file driver: HDF5's default (sec2) behaviour, POSIX
 * pread/pwrite on one descriptor, with one difference once the writer
 * watches the file (wf_h5_watch): the first failed write or truncate (disk
 * full, a file-size limit) is recorded for the writer, which reports it and
 * removes the file, and that write and every later one succeed without
 * touching the disk. HDF5 itself never sees an I/O error.
 *
 * Why: an HDF5 object or file whose flush fails cannot be closed cleanly.
 * libhdf5 1.10 then keeps the file's ID while freeing the file, and its exit
 * handler closes it again and crashes (or loops, printing "infinite loop
 * closing library"). A file being given up must close without error, and
 * only the driver can promise that.
 *
 * The driver class is registered with HDF5 once per process (HDF5's driver
 * table is process-wide by design), inside an HDF5 section (h5_common.h),
 * whose mutex guards it as it guards every HDF5 call. */
#include "results/h5_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    H5FD_t pub; /* first: HDF5 casts to and from it */
    int fd;
    haddr_t eoa, eof;
    dev_t dev;
    ino_t ino;
    int *report; /* the watching writer's errno slot, or NULL */
    int discard; /* a write failed: from now on nothing reaches the disk */
} vfd_file;

#define MAXADDR (((haddr_t)1 << (8 * sizeof(off_t) - 1)) - 1)

static void push_errno(const char *func, const char *what, int e)
{
    /* "errno = N" is what wf_h5_fail looks for, as in HDF5's own drivers */
    H5Epush2(H5E_DEFAULT, __FILE__, func, __LINE__, H5E_ERR_CLS, H5E_IO,
             strcmp(what, "read") ? H5E_WRITEERROR : H5E_READERROR, "%s failed, errno = %d", what, e);
}

static H5FD_t *vfd_open(const char *name, unsigned flags, hid_t fapl, haddr_t maxaddr)
{
    (void)fapl;
    if (!name || !*name || maxaddr == 0 || maxaddr == HADDR_UNDEF || maxaddr > MAXADDR) return NULL;
    int o = (flags & H5F_ACC_RDWR) ? O_RDWR : O_RDONLY;
    if (flags & H5F_ACC_TRUNC) o |= O_TRUNC;
    if (flags & H5F_ACC_CREAT) o |= O_CREAT;
    if (flags & H5F_ACC_EXCL) o |= O_EXCL;
    int fd = open(name, o | O_CLOEXEC, 0666);
    if (fd < 0) {
        push_errno("vfd_open", "open", errno);
        return NULL;
    }
    struct stat sb;
    vfd_file *f = fstat(fd, &sb) == 0 ? calloc(1, sizeof *f) : NULL;
    if (!f) {
        push_errno("vfd_open", "open", errno ? errno : ENOMEM);
        close(fd);
        return NULL;
    }
    f->fd = fd;
    f->eof = (haddr_t)sb.st_size;
    f->dev = sb.st_dev;
    f->ino = sb.st_ino;
    return &f->pub;
}

/* A failed write or truncate: the watching writer learns of it and the
 * file is given up; unwatched, HDF5 gets the error. */
static herr_t io_failed(vfd_file *f, const char *func, const char *what, int e)
{
    if (!f->report) {
        push_errno(func, what, e);
        return -1;
    }
    if (!*f->report) *f->report = e ? e : EIO;
    f->discard = 1;
    return 0;
}

static herr_t vfd_close(H5FD_t *file)
{
    vfd_file *f = (vfd_file *)file;
    int bad = close(f->fd) != 0 && !f->discard;
    if (bad) push_errno("vfd_close", "close", errno);
    free(f);
    return bad ? -1 : 0;
}

static int vfd_cmp(const H5FD_t *a, const H5FD_t *b)
{
    const vfd_file *x = (const vfd_file *)a, *y = (const vfd_file *)b;
    if (x->dev != y->dev) return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino) return x->ino < y->ino ? -1 : 1;
    return 0;
}

static herr_t vfd_query(const H5FD_t *file, unsigned long *flags)
{
    (void)file;
    /* what sec2 declares, so that HDF5 lays the file out as it would */
    *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA | H5FD_FEAT_DATA_SIEVE |
             H5FD_FEAT_AGGREGATE_SMALLDATA;
#ifdef H5FD_FEAT_DEFAULT_VFD_COMPATIBLE
    *flags |= H5FD_FEAT_DEFAULT_VFD_COMPATIBLE;
#endif
    return 0;
}

static haddr_t vfd_get_eoa(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return ((const vfd_file *)file)->eoa;
}

static herr_t vfd_set_eoa(H5FD_t *file, H5FD_mem_t type, haddr_t addr)
{
    (void)type;
    ((vfd_file *)file)->eoa = addr;
    return 0;
}

static haddr_t vfd_get_eof(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return ((const vfd_file *)file)->eof;
}

static herr_t vfd_get_handle(H5FD_t *file, hid_t fapl, void **handle)
{
    (void)fapl;
    *handle = file; /* the driver's own struct, for wf_h5_watch */
    return 0;
}

static herr_t vfd_read(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size, void *buf)
{
    (void)type;
    (void)dxpl;
    vfd_file *f = (vfd_file *)file;
    if (addr == HADDR_UNDEF || addr > MAXADDR || size > MAXADDR - addr) return -1;
    unsigned char *p = buf;
    while (size > 0) {
        ssize_t n = pread(f->fd, p, size, (off_t)addr);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            push_errno("vfd_read", "read", errno);
            return -1;
        }
        if (n == 0) { /* past the end of the file: zeros, as sec2 */
            memset(p, 0, size);
            break;
        }
        p += n;
        addr += (haddr_t)n;
        size -= (size_t)n;
    }
    return 0;
}

static herr_t vfd_write(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size, const void *buf)
{
    (void)type;
    (void)dxpl;
    vfd_file *f = (vfd_file *)file;
    if (addr == HADDR_UNDEF || addr > MAXADDR || size > MAXADDR - addr) return -1;
    if (f->discard) return 0;
    const unsigned char *p = buf;
    while (size > 0) {
        ssize_t n = pwrite(f->fd, p, size, (off_t)addr);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return io_failed(f, "vfd_write", "write", errno);
        p += n;
        addr += (haddr_t)n;
        size -= (size_t)n;
    }
    if (addr > f->eof) f->eof = addr;
    return 0;
}

static herr_t vfd_truncate(H5FD_t *file, hid_t dxpl, hbool_t closing)
{
    (void)dxpl;
    (void)closing;
    vfd_file *f = (vfd_file *)file;
    if (f->discard || f->eoa == f->eof) return 0;
    if (ftruncate(f->fd, (off_t)f->eoa) != 0) return io_failed(f, "vfd_truncate", "truncate", errno);
    f->eof = f->eoa;
    return 0;
}

static const H5FD_class_t vfd_class = {
#if H5_VERSION_GE(1, 13, 2)
    .version = H5FD_CLASS_VERSION,
    .value = 612, /* a value in the range HDF5 leaves to users' drivers */
#endif
    .name = "winterflow_sec2",
    .maxaddr = MAXADDR,
    .fc_degree = H5F_CLOSE_WEAK,
    .open = vfd_open,
    .close = vfd_close,
    .cmp = vfd_cmp,
    .query = vfd_query,
    .get_eoa = vfd_get_eoa,
    .set_eoa = vfd_set_eoa,
    .get_eof = vfd_get_eof,
    .get_handle = vfd_get_handle,
    .read = vfd_read,
    .write = vfd_write,
    .truncate = vfd_truncate,
    .fl_map = H5FD_FLMAP_DICHOTOMY,
};

static hid_t vfd_id = -1;  /* only inside an HDF5 section */

int wf_h5_use_driver(hid_t fapl)
{
    /* again after an H5close() by the program, which drops registrations */
    if (vfd_id < 0 || H5Iis_valid(vfd_id) <= 0) vfd_id = H5FDregister(&vfd_class);
    return vfd_id < 0 || H5Pset_driver(fapl, vfd_id, NULL) < 0 ? -1 : 0;
}

int wf_h5_watch(hid_t file, hid_t fapl, int *report)
{
    void *handle = NULL;
    if (H5Fget_vfd_handle(file, fapl, &handle) < 0 || !handle) return -1;
    ((vfd_file *)handle)->report = report;
    return 0;
}
