# shellcheck shell=bash
# Finds a JDK new enough to build and run jgnet. Sourced by ./jgnet and .ci/run:
#
#   source scripts/find-jdk.sh
#   jgnet_find_jdk || exit 1          # sets JGNET_JDK to the JDK's home directory
#   export JAVA_HOME=$JGNET_JDK
#
# When it had to pass over JAVA_HOME, JGNET_JDK_NOTE says so in one line (else it is empty).
#
# What it picks: $JAVA_HOME, if its java is version $JGNET_MIN_JAVA or newer; otherwise the
# newest such JDK (the first found, of equals) among
#   - /usr/lib/jvm/*, /usr/java/*, /opt/java/*, /opt/jdk*, ~/.sdkman/candidates/java/*,
#     /Library/Java/JavaVirtualMachines/*/Contents/Home
#   - the JDK that owns the javac on PATH
#
# JGNET_JDK_SEARCH_PATHS, if set (even to nothing), replaces that list with its own: JDK homes
# or glob patterns separated by colons, e.g. /opt/jdk-*:/srv/java/*. Tests use it to simulate a
# machine without a JDK:  JAVA_HOME= JGNET_JDK_SEARCH_PATHS=/nonexistent ./jgnet demo
#
# jgnet_find_jdk --quiet returns 1 without printing the install advice.
# Every function here is safe under set -euo pipefail.

JGNET_MIN_JAVA=25

# Prints the feature version (8, 17, 25, ...) of the java binary $1, or nothing if it won't run.
jgnet_java_major() {
    local java=$1 line version
    [[ -x $java ]] || return 0
    # The line to read is the one with 'version "..."': JAVA_TOOL_OPTIONS adds a line above it.
    line=$("$java" -version 2>&1 | grep -m1 ' version "') || return 0
    version=${line#* version \"}
    version=${version%%\"*}
    # "1.8.0_392" is Java 8; "25.0.3", "25" and "25-ea" are Java 25.
    [[ $version == 1.* ]] && version=${version#1.}
    version=${version%%[!0-9]*}
    [[ -n $version ]] && printf '%s\n' "$version"
    return 0
}

# The candidate JDK homes, one per line, in search order (JAVA_HOME excluded).
jgnet_jdk_candidates() {
    local patterns=() pattern dir javac IFS=$' \t\n'
    if [[ -n ${JGNET_JDK_SEARCH_PATHS+set} ]]; then
        IFS=: read -r -a patterns <<<"$JGNET_JDK_SEARCH_PATHS"
    else
        patterns=(/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk*)
        [[ -n ${HOME:-} ]] && patterns+=("$HOME"/.sdkman/candidates/java/*)
        patterns+=(/Library/Java/JavaVirtualMachines/*/Contents/Home)
        if javac=$(command -v javac) && javac=$(readlink -f "$javac" 2>/dev/null); then
            patterns+=("${javac%/bin/javac}")
        fi
    fi
    # The ${a[@]+...} form keeps bash 3.2 (macOS) quiet about an empty array under set -u.
    for pattern in ${patterns[@]+"${patterns[@]}"}; do
        [[ -n $pattern ]] || continue
        # Unquoted on purpose, to expand a glob from JGNET_JDK_SEARCH_PATHS; an empty IFS keeps
        # a path with spaces in one piece. A glob that matched nothing stays as it is and fails
        # the -d test.
        IFS=
        for dir in $pattern; do
            [[ -d $dir ]] && printf '%s\n' "$dir"
        done
    done
    return 0
}

# Whether $1 is a JDK (java and javac) of version JGNET_MIN_JAVA or newer; prints its version.
jgnet_jdk_version_ok() {
    local home=$1 major release
    [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
    # Every JDK since 9 has a release file: reading it skips an old JDK without starting a JVM.
    # The java binary still has the last word for a JDK that passes.
    if [[ -f $home/release ]] && release=$(grep -m1 '^JAVA_VERSION=' "$home/release"); then
        release=${release#JAVA_VERSION=\"}
        [[ $release == 1.* ]] && release=${release#1.}
        release=${release%%[!0-9]*}
        [[ -n $release ]] && ((release < JGNET_MIN_JAVA)) && return 1
    fi
    major=$(jgnet_java_major "$home/bin/java")
    [[ -n $major ]] && ((major >= JGNET_MIN_JAVA)) && printf '%s\n' "$major"
}

# Sets JGNET_JDK and JGNET_JDK_NOTE for the script that sourced this file.
# shellcheck disable=SC2034
jgnet_find_jdk() {
    local quiet=false home major best="" best_major=0 java_home_note=""
    [[ ${1:-} == --quiet ]] && quiet=true
    JGNET_JDK=""
    JGNET_JDK_NOTE=""
    if [[ -n ${JAVA_HOME:-} ]]; then
        if major=$(jgnet_jdk_version_ok "$JAVA_HOME"); then
            JGNET_JDK=$JAVA_HOME
            return 0
        fi
        major=$(jgnet_java_major "$JAVA_HOME/bin/java")
        if [[ -n $major ]]; then
            java_home_note="JAVA_HOME=$JAVA_HOME is Java $major; skipped it."
        else
            java_home_note="JAVA_HOME=$JAVA_HOME has no working java and javac; skipped it."
        fi
    fi
    while IFS= read -r home; do
        if major=$(jgnet_jdk_version_ok "$home") && ((major > best_major)); then
            best=$home
            best_major=$major
        fi
    done < <(jgnet_jdk_candidates)
    if [[ -n $best ]]; then
        JGNET_JDK=$best
        [[ -n $java_home_note ]] && JGNET_JDK_NOTE="$java_home_note Using $best."
        return 0
    fi
    if ! $quiet; then
        {
            echo "jgnet needs a JDK $JGNET_MIN_JAVA or newer and found none."
            [[ -n $java_home_note ]] && echo "  $java_home_note"
            if [[ -n ${JGNET_JDK_SEARCH_PATHS+set} ]]; then
                echo "  Searched JGNET_JDK_SEARCH_PATHS=$JGNET_JDK_SEARCH_PATHS"
            else
                echo "  Searched /usr/lib/jvm, /usr/java, /opt/java, /opt/jdk*, ~/.sdkman/candidates/java,"
                echo "  /Library/Java/JavaVirtualMachines and the javac on PATH."
            fi
            echo "Install Temurin $JGNET_MIN_JAVA (on Debian/Ubuntu: apt-get install temurin-$JGNET_MIN_JAVA-jdk from"
            echo "Adoptium's apt repository, or apt-get install openjdk-$JGNET_MIN_JAVA-jdk where your release has it;"
            echo "on macOS: brew install --cask temurin@$JGNET_MIN_JAVA), or set JAVA_HOME to a JDK $JGNET_MIN_JAVA or newer."
        } >&2
    fi
    return 1
}
