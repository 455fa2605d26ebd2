#!/usr/bin/env bash
# Checks a release staged by scripts/release.sh before it is uploaded. CI runs it.
#
#   scripts/check-staging.sh STAGING_DIR VERSION
#
# Fails, naming every problem, unless the directory holds exactly the published modules
# (jgnet-parent and jgnet-bom: POM; jgnet-core and jgnet-micrometer: jar, sources jar, Javadoc
# jar, POM), each file
# with an .asc signature and .md5, .sha1, .sha256 and .sha512 checksums that match it; the
# jars hold what they should (the module descriptor, the sources, the Javadoc's overview); and
# every POM has the metadata a public repository requires. With gpg on PATH it also verifies
# each signature against the keys in gpg's keyring (GNUPGHOME).
set -euo pipefail

staging=${1:?usage: check-staging.sh STAGING_DIR VERSION}
version=${2:?usage: check-staging.sh STAGING_DIR VERSION}
base=$staging/io/jgnet
problems=0

fail() {
    echo "check-staging: $*" >&2
    problems=$((problems + 1))
}

# Lists the archive's entries with the JDK's jar tool.
entries() {
    "${JAVA_HOME:?JAVA_HOME must point at a JDK}/bin/jar" --list --file "$1"
}

declare -A published=(
    [jgnet-parent]=".pom"
    [jgnet-bom]=".pom"
    [jgnet-core]=".jar -sources.jar -javadoc.jar .pom"
    [jgnet-micrometer]=".jar -sources.jar -javadoc.jar .pom"
)
# What each published jar must hold: core is a named module; jgnet-micrometer an automatic one.
declare -A module_class=([jgnet-core]=module-info.class [jgnet-micrometer]=io/jgnet/micrometer/JgnetMetrics.class)
declare -A module_source=([jgnet-core]=module-info.java [jgnet-micrometer]=io/jgnet/micrometer/JgnetMetrics.java)
declare -A module_page=([jgnet-core]=io.jgnet/io/jgnet/Conn.html [jgnet-micrometer]=io.jgnet.micrometer/io/jgnet/micrometer/JgnetMetrics.html)

for module in "${!published[@]}"; do
    for suffix in ${published[$module]}; do
        file=$base/$module/$version/$module-$version$suffix
        if [[ ! -f $file ]]; then
            fail "missing $file"
            continue
        fi
        [[ -f $file.asc ]] || fail "missing signature $file.asc"
        for algorithm in md5 sha1 sha256 sha512; do
            if [[ ! -f $file.$algorithm ]]; then
                fail "missing checksum $file.$algorithm"
            elif [[ $(cut -d' ' -f1 <"$file.$algorithm") != $("${algorithm}sum" <"$file" | cut -d' ' -f1) ]]; then
                fail "$file.$algorithm does not match the file"
            fi
        done
        if [[ -f $file.asc ]] && command -v gpg >/dev/null; then
            gpg --batch --quiet --verify "$file.asc" "$file" 2>/dev/null || fail "bad signature $file.asc"
        fi
        case $suffix in
            .pom)
                # What a module does not say it inherits from jgnet-parent, staged beside it.
                parent_pom=$base/jgnet-parent/$version/jgnet-parent-$version.pom
                for element in name description url licenses scm developers; do
                    grep -q "<$element[ >]" "$file" ||
                        { grep -q "<artifactId>jgnet-parent</artifactId>" "$file" && grep -q "<$element[ >]" "$parent_pom"; } ||
                        fail "$file has no <$element>, nor has its parent"
                done
                ;;
            .jar)
                entries "$file" | grep -qx "${module_class[$module]}" || fail "$file has no ${module_class[$module]}"
                ;;
            -sources.jar)
                entries "$file" | grep -qx "${module_source[$module]}" || fail "$file has no ${module_source[$module]}"
                ;;
            -javadoc.jar)
                entries "$file" | grep -qx "${module_page[$module]}" || fail "$file has no ${module_page[$module]}"
                ;;
        esac
    done
done

# Nothing else is published: examples, benchmarks and the CLI stay home.
for dir in "$base"/*/; do
    module=$(basename "$dir")
    [[ -n ${published[$module]+set} ]] || fail "$module is staged but is not a published module"
done

if ((problems > 0)); then
    echo "check-staging: FAILED: $problems problem(s) in $staging" >&2
    exit 1
fi
echo "check-staging: $staging holds jgnet $version: ${!published[*]}, every file signed and checksummed"
