/* Chunks in their stored form (lib/results/stored.c): the bytes the ranks
 * of an MPI sweep encode are exactly those HDF5 writes for the layout's
 * pipeline (compared chunk by chunk with H5Dread_chunk), results carrying
 * them are written as the same file (the writer places them with
 * H5Dwrite_chunk) and read back to the same numbers, and an append still
 * refuses a file whose chunk is damaged (now by its checksum, undecoded),
 * leaving it as it was. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "engine_util.h"
#include "results/results.h"
#include "results/stored.h"
#include "run/run.h"

#define TINY WF_SOURCE_DIR "/tests/cli/tiny.yaml"

static char dir[] = "/tmp/wf_test_stored_XXXXXX";

static const char *in_dir(const char *name)
{
    static char p[4][300];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

/* Every stored chunk of every metric dataset of two files, byte for byte. */
static int same_chunks(const char *a, const char *b, size_t rows, size_t reps)
{
    hid_t fa = H5Fopen(a, H5F_ACC_RDONLY, H5P_DEFAULT), fb = H5Fopen(b, H5F_ACC_RDONLY, H5P_DEFAULT);
    int same = fa >= 0 && fb >= 0, chunks = 0;
    for (size_t m = 0; same && m < wf_metric_count(); m++) {
        hid_t da = H5Dopen2(fa, wf_metric_name(m), H5P_DEFAULT), db = H5Dopen2(fb, wf_metric_name(m), H5P_DEFAULT);
        for (size_t s = 0; same && s < rows; s++)
            for (size_t k = 0; same && k < reps; k++) {
                hsize_t off[4] = {s, k, 0, 0}, na = 0, nb = 0;
                uint32_t ma = 1, mb = 1;
                same = H5Dget_chunk_storage_size(da, off, &na) >= 0 && H5Dget_chunk_storage_size(db, off, &nb) >= 0 &&
                       na == nb && na > 0;
                unsigned char *x = malloc(na + 1), *y = malloc(nb + 1);
                same = same && H5Dread_chunk(da, H5P_DEFAULT, off, &ma, x) >= 0 &&
                       H5Dread_chunk(db, H5P_DEFAULT, off, &mb, y) >= 0 && ma == 0 && mb == 0 && !memcmp(x, y, na) &&
                       wf_stored_checksum_ok(x, na);
                chunks++;
                free(x);
                free(y);
            }
        H5Dclose(da);
        H5Dclose(db);
    }
    if (fa >= 0) H5Fclose(fa);
    if (fb >= 0) H5Fclose(fb);
    return same && chunks > 0;
}

static void stored_is_hdf5s(void)
{
    CHECK(wf_stored_available());

    wf_scenario *s[2] = {eu_file(TINY), eu_file(TINY)};
    eu_set(s[1], "partnership.preset", "integrated");
    const wf_scenario *const *list = (const wf_scenario *const *)s;
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 3;
    o.threads = 1;
    wf_results *plain = wf_results_create(), *packed = wf_results_create(), *block = wf_results_create();
    CHECK(wf_run(plain, list, 2, &o) == WF_OK);
    /* the same numbers through packs that carry the stored chunks, as an
     * MPI sweep's rank 0 receives them: scenario 0 whole, scenario 1 in
     * two blocks of replicates */
    CHECK(wf_run_shape(packed, list, 2, &o) == WF_OK);
    struct { size_t scen, first, n; } parts[] = {{0, 0, 3}, {1, 0, 1}, {1, 1, 2}};
    for (size_t i = 0; i < 3; i++) {
        wf_buf b = {0};
        char err[256] = "";
        CHECK(wf_run_block(block, list + parts[i].scen, 1, &o, parts[i].first, parts[i].n) == WF_OK);
        CHECK(wf_results_pack(block, parts[i].first, 1, &b) == WF_OK);
        wf_status st = wf_results_unpack(packed, parts[i].scen, b.data, b.len, err, sizeof err);
        CHECKF(st == WF_OK, "%s", err);
        wf_buf_free(&b);
    }
    CHECK(packed->stored != NULL);
    packed->complete = true;
    packed->started = plain->started;
    packed->finished = plain->finished;
    /* A pack cut inside its stored chunks is refused. */
    wf_buf b = {0};
    char err[256] = "";
    CHECK(wf_results_pack(block, 1, 1, &b) == WF_OK);
    CHECK(wf_results_unpack(packed, 1, b.data, b.len - 5, err, sizeof err) == WF_EINVAL);
    CHECK(strstr(err, "stored chunk") != NULL);
    wf_buf_free(&b);

    CHECK(wf_results_write(plain, list, 2, in_dir("plain.h5"), NULL) == WF_OK);
    CHECK(wf_results_write(packed, list, 2, in_dir("stored.h5"), NULL) == WF_OK);
    CHECK(same_chunks(in_dir("plain.h5"), in_dir("stored.h5"), 2, 3));
    wf_results *back = wf_results_create();
    CHECK(wf_results_read(back, in_dir("stored.h5")) == WF_OK);
    size_t nd = 2 * wf_metric_count() * 3 * plain->n_days * plain->n_orgs;
    CHECK(back->n_scen == 2 && !memcmp(back->daily, plain->daily, nd * sizeof(double)));
    wf_results_destroy(back);

    /* Appending stored chunks to a file written plainly: the same chunks
     * as a plain append. */
    wf_results *one = wf_results_create();
    CHECK(wf_run(one, list, 1, &o) == WF_OK);
    CHECK(wf_results_write(one, list, 1, in_dir("a.h5"), NULL) == WF_OK);
    CHECK(wf_results_write(one, list, 1, in_dir("b.h5"), NULL) == WF_OK);
    wf_results *second = wf_results_create(), *second_stored = wf_results_create();
    CHECK(wf_run(second, list + 1, 1, &o) == WF_OK);
    CHECK(wf_run_shape(second_stored, list + 1, 1, &o) == WF_OK);
    CHECK(wf_results_pack(second, 0, 1, &b) == WF_OK);
    CHECK(wf_results_unpack(second_stored, 0, b.data, b.len, err, sizeof err) == WF_OK);
    wf_buf_free(&b);
    second_stored->complete = true;
    CHECK(wf_results_append(second, list + 1, 1, in_dir("a.h5"), NULL) == WF_OK);
    CHECK(wf_results_append(second_stored, list + 1, 1, in_dir("b.h5"), NULL) == WF_OK);
    CHECK(same_chunks(in_dir("a.h5"), in_dir("b.h5"), 2, 3));
    wf_results_destroy(one);
    wf_results_destroy(second);
    wf_results_destroy(second_stored);

    wf_results_destroy(plain);
    wf_results_destroy(packed);
    wf_results_destroy(block);
    wf_scenario_destroy(s[0]);
    wf_scenario_destroy(s[1]);
}

/* A byte flipped inside a daily chunk: the append refuses the file by the
 * chunk's checksum, the file untouched. */
static void damaged_chunk_refused(void)
{
    wf_scenario *s = eu_file(TINY);
    const wf_scenario *const *list = (const wf_scenario *const *)&s;
    wf_results *r = wf_results_create();
    wf_run_options o;
    wf_run_options_init(&o, sizeof o);
    o.replicates = 2;
    CHECK(wf_run(r, list, 1, &o) == WF_OK);
    const char *path = in_dir("damaged.h5");
    CHECK(wf_results_write(r, list, 1, path, NULL) == WF_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "admissions", H5P_DEFAULT);
    haddr_t addr = HADDR_UNDEF;
    hsize_t size = 0, off[4] = {0, 1, 0, 0};
    unsigned mask = 0;
    hid_t fs = H5Dget_space(d);
    CHECK(H5Dget_chunk_info_by_coord(d, off, &mask, &addr, &size) >= 0 && size > 8);
    H5Sclose(fs);
    H5Dclose(d);
    H5Fclose(f);
    FILE *fp = fopen(path, "r+b");
    CHECK(fp && fseek(fp, (long)addr + (long)size / 2, SEEK_SET) == 0);
    int c = fgetc(fp);
    fseek(fp, (long)addr + (long)size / 2, SEEK_SET);
    fputc(c ^ 0x5a, fp);
    fclose(fp);
    struct stat before, after;
    stat(path, &before);
    wf_status st = wf_results_append(r, list, 1, path, NULL);
    CHECK(st == WF_EIO);
    CHECKF(strstr(wf_results_error(r), "admissions: the chunk at row 0 fails its checksum") != NULL, "%s",
           wf_results_error(r));
    stat(path, &after);
    CHECK(before.st_size == after.st_size && before.st_mtime == after.st_mtime && before.st_ino == after.st_ino);
    wf_results_destroy(r);
    wf_scenario_destroy(s);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    stored_is_hdf5s();
    damaged_chunk_refused();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
