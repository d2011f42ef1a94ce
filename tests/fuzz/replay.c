/* The fuzz targets without libFuzzer (every build but WF_FUZZ=ON): run each
 * file named, or each file in each folder named (one level), once through
 * LLVMFuzzerTestOneInput. The tests run the committed corpus this way, so
 * every input that ever crashed is tried again in the release and
 * sanitizer builds; a finding aborts, naming the file. */
#include "fuzz.h"

#include <dirent.h>
#include <sys/stat.h>

static size_t ran;

static void one(const char *path)
{
    FILE *f = fopen(path, "rb");
    FUZZ_REQUIRE(f != NULL, "cannot read %s", path);
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    FUZZ_REQUIRE(buf != NULL && !ferror(f), "cannot read %s", path);
    fclose(f);
    fprintf(stderr, "%s (%zu bytes)\n", path, n);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    ran++;
}

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

int main(int argc, char **argv)
{
    fuzz_replay = 1;
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        FUZZ_REQUIRE(stat(argv[i], &st) == 0, "no file or folder %s", argv[i]);
        if (!S_ISDIR(st.st_mode)) {
            one(argv[i]);
            continue;
        }
        struct dirent **e;
        int n = scandir(argv[i], &e, NULL, by_name);
        FUZZ_REQUIRE(n >= 0, "cannot list %s", argv[i]);
        for (int j = 0; j < n; j++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e[j]->d_name);
            if (e[j]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) one(path);
            free(e[j]);
        }
        free(e);
    }
    FUZZ_REQUIRE(ran > 0, "no input given");
    printf("%zu inputs, no finding\n", ran);
    return 0;
}
