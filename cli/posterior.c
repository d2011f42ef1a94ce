/* --posterior FILE for compare and sweep: a calibration file whose
 * posterior every replicate draws its parameters from (winterflow.h,
 * wf_run_options.posterior). */
#include "cli.h"

int cli_read_posterior(const char *path, wf_calibration **out)
{
    *out = NULL;
    wf_calibration *c = wf_calibration_create();
    if (!c) {
        cli_error("out of memory");
        return EXIT_RUN;
    }
    wf_status st = wf_calibration_read(c, path);
    if (st == WF_OK && !wf_calibration_n_particles(c)) {
        cli_error("--posterior %s: the calibration has no generation yet (run winterflow calibrate to the end)", path);
        wf_calibration_destroy(c);
        return EXIT_IO;
    }
    if (st != WF_OK) {
        cli_error("--posterior %s", wf_calibration_error(c));
        wf_calibration_destroy(c);
        return st == WF_ENOMEM ? EXIT_RUN : EXIT_IO;
    }
    *out = c;
    return EXIT_OK;
}
