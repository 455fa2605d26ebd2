#!/usr/bin/env bash
# Builds a release of jgnet from the checked-out commit, signs it and stages it in a local
# directory laid out as a Maven repository, ready to upload. Run through the launcher, which
# finds the JDK 25: ./jgnet release [--version V] [--skip-tests] [--staging DIR] [--allow-dirty]
#
#   --version V     the version to release; default: the POMs' version without -SNAPSHOT
#                   (0.1.0-SNAPSHOT releases 0.1.0)
#   --skip-tests    do not run core's tests first (CI has just run them)
#   --staging DIR   where to stage; default target/staging (emptied first)
#   --allow-dirty   for a dry run: build the working tree's tracked files, uncommitted changes
#                   included (as git stash create records them), instead of refusing
#
# Environment (required): MAVEN_GPG_KEY, the signing key as an ASCII-armoured secret key
# (gpg --armor --export-secret-keys KEYID), and MAVEN_GPG_PASSPHRASE, its passphrase. They are
# read by maven-gpg-plugin's Bouncy Castle signer: no gpg keyring or agent is needed.
#
# Published: jgnet-parent (POM), jgnet-bom (POM), jgnet-core and jgnet-micrometer (jar, sources,
# Javadoc, POM),
# each file with an .asc signature and .md5, .sha1, .sha256 and .sha512 checksums. The build
# runs in a copy of the commit (git archive) whose POMs carry the release version, so the
# working tree is left as it was; archive entries get the commit's time, so the jars are
# reproducible from the commit. The upload to a public repository is not done here (this
# machine reaches none that accepts one): the script ends by saying what to upload.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

version=""
skip_tests=false
allow_dirty=false
staging=$root/target/staging
while (($# > 0)); do
    case $1 in
        --version) version=${2:?--version needs a value}; shift 2 ;;
        --version=*) version=${1#*=}; shift ;;
        --skip-tests) skip_tests=true; shift ;;
        --allow-dirty) allow_dirty=true; shift ;;
        --staging) staging=${2:?--staging needs a directory}; shift 2 ;;
        --staging=*) staging=${1#*=}; shift ;;
        -h | --help) usage ;;
        *) echo "release: unknown argument $1" >&2; usage ;;
    esac
done

if [[ -z ${MAVEN_GPG_KEY:-} ]]; then
    echo "release: MAVEN_GPG_KEY is not set: export the signing key as an ASCII-armoured secret key," >&2
    echo "release: e.g. MAVEN_GPG_KEY=\$(gpg --armor --export-secret-keys KEYID), and its passphrase" >&2
    echo "release: as MAVEN_GPG_PASSPHRASE." >&2
    exit 1
fi
if [[ -z ${MAVEN_GPG_PASSPHRASE+set} ]]; then
    echo "release: MAVEN_GPG_PASSPHRASE is not set (set it to the key's passphrase)." >&2
    exit 1
fi
source_tree=HEAD
if ! git diff --quiet HEAD --; then
    if ! $allow_dirty; then
        echo "release: the working tree has uncommitted changes; a release is built from a commit" >&2
        echo "release: (--allow-dirty builds them anyway, for a dry run):" >&2
        git status --short --untracked-files=no >&2
        exit 1
    fi
    source_tree=$(git stash create)
    echo "release: building uncommitted changes (--allow-dirty): not for upload"
fi

snapshot=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
if [[ -z $snapshot ]]; then
    echo "release: no <version> in pom.xml" >&2
    exit 1
fi
version=${version:-${snapshot%-SNAPSHOT}}
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[A-Za-z0-9.]+)?$ || $version == *SNAPSHOT ]]; then
    echo "release: $version is not a release version (like 0.1.0 or 0.2.0-rc.1)" >&2
    exit 1
fi
commit=$(git rev-parse HEAD)
timestamp=$(git log -1 --format=%cI HEAD)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive "$source_tree" | tar -x -C "$work"
# Every reactor POM names the version once, as its own or its parent's: set it there.
while IFS= read -r pom; do
    sed -i "s:<version>$snapshot</version>:<version>$version</version>:" "$pom"
done < <(cd "$work" && find . -name pom.xml -not -path './consumers/*' | sed "s:^\.:$work:")
if left=$(grep -rl --include=pom.xml -e "-SNAPSHOT" "$work" | grep -v "^$work/consumers/"); then
    echo "release: still a SNAPSHOT version in: $left" >&2
    exit 1
fi

rm -rf "$staging"
mkdir -p "$staging"
mvn_args=(-B -Prelease -pl core,bom,micrometer -am deploy -Dmaven.install.skip=true
    "-Dproject.build.outputTimestamp=$timestamp"
    "-DaltDeploymentRepository=staging::file://$staging"
    "-Daether.checksums.algorithms=SHA-512,SHA-256,SHA-1,MD5")
if $skip_tests; then
    mvn_args+=(-DskipTests)
fi
echo "release: jgnet $version from commit $commit (${timestamp}), staging in $staging"
(cd "$work" && ./mvnw "${mvn_args[@]}")

# The bundle a repository's upload form takes: the staged tree without Maven's metadata files.
bundle=$staging/../jgnet-$version-bundle.zip
rm -f "$bundle"
(cd "$staging" && find io -type f -not -name 'maven-metadata*' | sort >"$work/bundle.list" &&
    "$JAVA_HOME/bin/jar" --create --no-manifest --file "$bundle" @"$work/bundle.list")

echo
echo "release: staged jgnet $version in $staging:"
(cd "$staging" && find . -type f | sort | sed 's:^\./:  :')
echo "release: bundle for upload: $(cd "$(dirname "$bundle")" && pwd)/$(basename "$bundle")"
echo "release: not uploaded: this machine reaches no repository that accepts an upload. Upload the"
echo "release: bundle to Maven Central (central.sonatype.com, Publish Component) from a machine that can."
