# Runner safety (issue 8 item 5), checked on what the code links rather than on its text: the
# object files of app/runner (the tools-runner and every built-in tool) may not reference
# processes, shells, dynamic loading or the file system. Runs after each build of rcrt_app
# (cmake -P, with OBJECTS = the library's object files and NM = the nm tool); a forbidden
# reference fails the build and names the object and the symbol.
#
# Why a link check: a grep of the sources misses what arrives through headers, macros and
# templates, and passes on a comment; `nm -u` lists exactly the functions the compiled runner
# calls outside itself.

if(NOT NM OR NOT OBJECTS)
  message(FATAL_ERROR "RunnerLinkCheck: NM and OBJECTS are required")
endif()
# Which objects are held to the rule; a test points it at other folders to show it bites.
if(NOT FILTER)
  set(FILTER "/runner/")
endif()

# Demangled undefined symbols matching these are refused.
set(forbidden_cpp
  "QProcess" "QFile" "QDir" "QFileInfo" "QSaveFile" "QTemporaryFile" "QTemporaryDir"
  "QLockFile" "QFileSystemWatcher" "QStandardPaths" "QLibrary" "QPluginLoader" "QSettings"
  "QSqlDatabase" "QNetworkAccessManager" "QTcpSocket" "QUdpSocket" "QLocalSocket"
  "std::filesystem" "std::basic_ifstream" "std::basic_ofstream" "std::basic_fstream"
  "std::basic_filebuf")
# C functions, matched as whole names.
set(forbidden_c
  system popen fork vfork execl execlp execle execv execvp execve execvpe posix_spawn posix_spawnp
  fopen fopen64 freopen open open64 openat openat64 creat creat64 unlink unlinkat remove rename
  renameat mkdir rmdir truncate dlopen socket connect)

set(checked 0)
set(problems "")
foreach(object IN LISTS OBJECTS)
  if(NOT object MATCHES "${FILTER}")
    continue()
  endif()
  math(EXPR checked "${checked} + 1")
  execute_process(COMMAND "${NM}" -u -C "${object}"
                  OUTPUT_VARIABLE symbols RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "RunnerLinkCheck: ${NM} failed on ${object}: ${err}")
  endif()
  string(REPLACE "\n" ";" lines "${symbols}")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*U[ \t]+" "" symbol "${line}")
    if(symbol STREQUAL "")
      continue()
    endif()
    foreach(name IN LISTS forbidden_cpp)
      string(FIND "${symbol}" "${name}" at)
      if(NOT at EQUAL -1)
        string(APPEND problems "  ${object}: ${symbol}\n")
      endif()
    endforeach()
    foreach(name IN LISTS forbidden_c)
      if(symbol MATCHES "^${name}(@.*)?$")
        string(APPEND problems "  ${object}: ${symbol}\n")
      endif()
    endforeach()
  endforeach()
endforeach()

if(checked EQUAL 0)
  message(FATAL_ERROR "RunnerLinkCheck: no object matching ${FILTER}: the check checks nothing")
endif()
if(problems)
  message(FATAL_ERROR "The tools-runner must not start processes, open files or sockets, or load "
                      "code (issue 8 item 5; docs/security.md). Forbidden references:\n${problems}")
endif()
if(VERBOSE)
  message(STATUS "RunnerLinkCheck: ${checked} runner objects, no forbidden reference")
endif()
