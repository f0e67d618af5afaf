"""Put on PYTHONPATH of a test server only: its first warehouse build reports progress and
then waits (DASBOR_TEST_SLOW_FIRST_BUILD seconds) without building, so a browser test sees
the progress screen for as long as it needs and no sample data is written."""

import os
import time

if os.environ.get("DASBOR_TEST_SLOW_FIRST_BUILD"):
    import etl.build

    def _waiting_build(config, progress):
        progress("Membaca Master posyandu...", 0.3)
        time.sleep(float(os.environ["DASBOR_TEST_SLOW_FIRST_BUILD"]))
        raise RuntimeError("the test's first build never finishes")

    etl.build.build_warehouse = _waiting_build
