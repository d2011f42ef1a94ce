# Sourced by scripts/quickstart.sh and scripts/test.sh (not run directly).
# wf_ensure_packages PKG...: install the Debian packages that are missing.
# Skips apt entirely when every package is already installed, so re-runs are
# fast; runs apt-get as root, or through sudo when not root; never prompts.

wf_ensure_packages() {
  local missing=() p
  for p in "$@"; do
    if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed$'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "packages: all present ($*)"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing packages (${missing[*]}) and no apt-get here;" \
         "install their equivalents and re-run" >&2
    return 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo -n)   # non-interactive: fails rather than prompting
    else
      echo "error: missing packages (${missing[*]}); run as root or install sudo" >&2
      return 1
    fi
  fi
  echo "packages: installing ${missing[*]}"
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -q
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# wf_check_cmake: CMakeLists.txt needs CMake 3.25 (Debian 12, Ubuntu 24.04).
wf_check_cmake() {
  local v
  v=$(cmake --version | sed -n 's/^cmake version \([0-9][0-9.]*\).*/\1/p')
  if ! printf '3.25\n%s\n' "$v" | sort -V -C; then
    echo "error: CMake $v is too old; winterflow needs 3.25 or newer" \
         "(e.g. 'python3 -m pip install cmake' or a newer distribution)" >&2
    return 1
  fi
}
