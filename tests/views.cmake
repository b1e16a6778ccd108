# What a person sees, checked outside the C++ tests: the Mermaid of every bundled scenario through
# Mermaid's own parser, and the HTML report rendered by headless Chromium. Each case skips
# (exit 77) when its tool is missing; `make test` installs them (Makefile: TEST_PACKAGES and the
# pinned npm packages of tests/views/package-lock.json in <build>/views-node). Artifacts (the
# pages, screenshots and diagrams) are kept in <build>/artifacts.
if(TARGET closesim)
  set(closesim_artifacts ${PROJECT_BINARY_DIR}/artifacts)

  add_test(NAME views:mermaid-parses
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/views/mermaid.sh $<TARGET_FILE:closesim>
                   ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/views-node ${closesim_artifacts}/mermaid)
  set_tests_properties(views:mermaid-parses PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
                     LABELS "views;external")

  # Chromium takes every core it is given: run it alone.
  add_test(NAME views:html-report-renders
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/views/html_report.sh $<TARGET_FILE:closesim>
                   ${PROJECT_SOURCE_DIR} ${closesim_artifacts})
  set_tests_properties(views:html-report-renders PROPERTIES
                       SKIP_RETURN_CODE 77 TIMEOUT 600 RUN_SERIAL TRUE LABELS "views;external")

  # The goldens of real runs (made through the library) are what the command line prints.
  add_test(NAME views:cli-prints-goldens
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/views/cli_goldens.sh $<TARGET_FILE:closesim>
                   ${PROJECT_SOURCE_DIR})
  set_tests_properties(views:cli-prints-goldens PROPERTIES LABELS "views;cli")

  # Plurals agree with their counts, no stray blanks in what the command line says.
  add_test(NAME views:cli-wording
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/views/wording.sh $<TARGET_FILE:closesim> ${PROJECT_SOURCE_DIR})
  set_tests_properties(views:cli-wording PROPERTIES LABELS views)

  # Perl's TAP harness reads the TAP of a failing suite (skips without perl's prove).
  add_test(NAME views:tap-read-by-prove
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/views/tap_prove.sh $<TARGET_FILE:closesim>
                   ${PROJECT_SOURCE_DIR})
  set_tests_properties(views:tap-read-by-prove PROPERTIES SKIP_RETURN_CODE 77 LABELS "views;external")

  find_program(CLOSESIM_PYTHON3 python3)
  if(CLOSESIM_PYTHON3)
    add_test(NAME views:png-check-rejects-blank
             COMMAND ${CLOSESIM_PYTHON3} ${PROJECT_SOURCE_DIR}/tests/views/check_png_test.py)
    set_tests_properties(views:png-check-rejects-blank PROPERTIES LABELS views)
    # JUnit parsed by an XML parser, classnames by the rule of docs/formats.md.
    add_test(NAME views:junit-classname
             COMMAND ${CLOSESIM_PYTHON3} ${PROJECT_SOURCE_DIR}/tests/views/junit_classname.py
                     $<TARGET_FILE:closesim> ${PROJECT_SOURCE_DIR})
    set_tests_properties(views:junit-classname PROPERTIES LABELS views)
    # The examples of the README and docs/formats.md are what the command line prints.
    add_test(NAME views:doc-examples
             COMMAND ${CLOSESIM_PYTHON3} ${PROJECT_SOURCE_DIR}/tests/views/doc_examples.py
                     $<TARGET_FILE:closesim> ${PROJECT_SOURCE_DIR} README.md docs/formats.md)
    set_tests_properties(views:doc-examples PROPERTIES LABELS views)
  else()
    # Without python3 the XML and docs checks cannot run: say so rather than pass silently.
    add_test(NAME views:junit-classname COMMAND sh -c "echo 'SKIP: python3 is needed'; exit 77")
    set_tests_properties(views:junit-classname PROPERTIES SKIP_RETURN_CODE 77 LABELS views)
  endif()
endif()
