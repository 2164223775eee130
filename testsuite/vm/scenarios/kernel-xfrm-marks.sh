# kernel-xfrm's marks and interface ids on a real ESP data path, without
# ospreyd: testsuite/kernel/xfrm_plugin_drive opens the plugin in each of two
# namespaces and installs, through kernel_ops, two route-based tunnels
# (AES-GCM-16 128 with test keys made from the SPI):
#
#   if_id 42: 10.1.0.0/24 <-> 10.2.0.0/24, SAs 192.0.2.1 <-> 192.0.2.2, an
#             xfrm interface ipsec1 (if_id 42) on each side routes the subnet
#   mark 0x2a: 10.1.1.0/24 <-> 10.2.1.0/24, SAs 192.0.2.11 <-> 192.0.2.12, a
#             VTI vti1 (key 42: it marks packets both ways) on each side
#
# Inbound SPIs come from the plugin's ALLOCSPI (the SA replaces the unmarked
# larval state). Passes when pings cross both tunnels, the kernel shows the
# mark / if_id on every SA and policy, a capture on the link has ESP and no
# cleartext, `ip -s xfrm state` counters rise on every SA and the plugin's
# sa_stats reports the same bytes and packets, and the deletes (named with
# mark / if_id) and the close leave nothing of osprey's.
# vm-timeout: 120
. "$(dirname "$0")/../lib.sh"
DRIVE=${DRIVE:-$OSPREY_TOP/testsuite/kernel/xfrm_plugin_drive}
require ip ping tcpdump "$DRIVE"
REQID_BASE=$((0x6f000000))

declare -A DIN DOUT
R=""
drv_start() { # drv_start NS: the plugin driver in NS, talked to through fifos
	local ns=$1 fd
	mkfifo "$W/drv-$ns.in" "$W/drv-$ns.out"
	# (the redirections inside: on bg's line they would be the shell's own,
	# and opening the fifo would block it)
	bg sh -c 'exec ip netns exec "$1" "$2" <"$3.in" >"$3.out" 2>"$3.log"' sh "$ns" "$DRIVE" \
		"$W/drv-$ns"
	eval "DRV_PID_$ns=$!"
	exec {fd}>"$W/drv-$ns.in"
	DIN[$ns]=$fd
	exec {fd}<"$W/drv-$ns.out"
	DOUT[$ns]=$fd
	IFS= read -r -t 20 R <&"${DOUT[$ns]}" || fail "driver in $ns did not start"
	[ "$R" = "ok open" ] || { cat "$W/drv-$ns.log"; fail "driver in $ns: $R"; }
}
drv() { # drv NS COMMAND...: one command, its answer in $R; fails on "error:"
	local ns=$1
	shift
	echo "$*" >&"${DIN[$ns]}"
	IFS= read -r -t 20 R <&"${DOUT[$ns]}" || fail "driver in $ns did not answer '$*'"
	log "$ns: $* -> ${R:0:160}"
	case $R in ok*) ;; *) tail -5 "$W/drv-$ns.log"; fail "driver in $ns: $*: $R" ;; esac
}
drv_stop() { # drv_stop NS: quit (the plugin's close flushes its state)
	local ns=$1 pid
	echo quit >&"${DIN[$ns]}"
	IFS= read -r -t 20 R <&"${DOUT[$ns]}"
	[ "$R" = "ok closed" ] || fail "driver in $ns did not close: $R"
	eval "pid=\$DRV_PID_$ns"
	wait "$pid" 2>/dev/null
}
osprey_left() { # osprey_left NS: osprey's SAs and policies (reqid in range), one a line
	nsx "$1" ip xfrm state | awk -v b=$REQID_BASE '/reqid/ { for (i = 1; i < NF; i++)
		if ($i == "reqid" && $(i + 1) >= b && $(i + 1) < b + 16777216) print "state " $0 }'
	nsx "$1" ip xfrm policy | awk -v b=$REQID_BASE '/reqid/ { for (i = 1; i < NF; i++)
		if ($i == "reqid" && $(i + 1) >= b && $(i + 1) < b + 16777216) print "policy " $0 }'
}

log "topology"
ns_add a b
wire wire a wan 192.0.2.1/24 b wan 192.0.2.2/24
addr a wan 192.0.2.11/24
addr b wan 192.0.2.12/24
addr a lo 10.1.0.1/32
addr a lo 10.1.1.1/32
addr b lo 10.2.0.1/32
addr b lo 10.2.1.1/32
for ns in a b; do
	[ $ns = a ] && { l=11; r=12; rnet=2; } || { l=12; r=11; rnet=1; }
	ip -n $ns link add ipsec1 type xfrm dev wan if_id 42 || skip "no xfrm interfaces in this kernel"
	ip -n $ns link add vti1 type vti local 192.0.2.$l remote 192.0.2.$r key 42 ||
		skip "no VTI in this kernel"
	nsx $ns sysctl -qw net.ipv4.conf.vti1.disable_policy=1
	ip -n $ns link set ipsec1 up
	ip -n $ns link set vti1 up
	src=$([ $ns = a ] && echo 10.1 || echo 10.2)
	route $ns 10.$rnet.0.0/24 dev ipsec1 src $src.0.1
	route $ns 10.$rnet.1.0/24 dev vti1 src $src.1.1
done

log "plugin: SPIs, SAs and policies"
drv_start a
drv_start b
# pair 1 (if_id 42) and pair 2 (mark 0x2a): inbound SPIs from each side's kernel
drv a spi src=192.0.2.2 dst=192.0.2.1; SPI1_AIN=${R#ok spi }
drv b spi src=192.0.2.1 dst=192.0.2.2; SPI1_BIN=${R#ok spi }
drv a spi src=192.0.2.12 dst=192.0.2.11; SPI2_AIN=${R#ok spi }
drv b spi src=192.0.2.11 dst=192.0.2.12; SPI2_BIN=${R#ok spi }
P1="if_id=42"
P2="mark=0x2a/0xffffffff"
sas() { # sas VERB NS: the four SAs of NS, added or deleted
	local v=$1 ns=$2 ain bin l r
	if [ "$ns" = a ]; then l=1; r=2; else l=2; r=1; fi
	[ "$ns" = a ] && { ain=$SPI1_AIN; bin=$SPI1_BIN; } || { ain=$SPI1_BIN; bin=$SPI1_AIN; }
	drv $ns sa $v dir=in spi=$ain src=192.0.2.$r dst=192.0.2.$l reqid=1 $P1
	drv $ns sa $v dir=out spi=$bin src=192.0.2.$l dst=192.0.2.$r reqid=1 $P1
	[ "$ns" = a ] && { ain=$SPI2_AIN; bin=$SPI2_BIN; } || { ain=$SPI2_BIN; bin=$SPI2_AIN; }
	drv $ns sa $v dir=in spi=$ain src=192.0.2.1$r dst=192.0.2.1$l reqid=2 $P2
	drv $ns sa $v dir=out spi=$bin src=192.0.2.1$l dst=192.0.2.1$r reqid=2 $P2
}
pols() { # pols VERB NS: the four policies (out, in+fwd per pair) of NS
	local v=$1 ns=$2 l r
	if [ "$ns" = a ]; then l=1; r=2; else l=2; r=1; fi
	drv $ns policy $v dir=out ts_src=10.$l.0.0/24 ts_dst=10.$r.0.0/24 src=192.0.2.$l \
		dst=192.0.2.$r reqid=1 $P1
	drv $ns policy $v dir=in ts_src=10.$r.0.0/24 ts_dst=10.$l.0.0/24 src=192.0.2.$r \
		dst=192.0.2.$l reqid=1 $P1
	drv $ns policy $v dir=out ts_src=10.$l.1.0/24 ts_dst=10.$r.1.0/24 src=192.0.2.1$l \
		dst=192.0.2.1$r reqid=2 $P2
	drv $ns policy $v dir=in ts_src=10.$r.1.0/24 ts_dst=10.$l.1.0/24 src=192.0.2.1$r \
		dst=192.0.2.1$l reqid=2 $P2
}
for ns in a b; do sas add $ns; pols add $ns; done

log "the kernel's view"
for ns in a b; do
	st=$(nsx $ns ip xfrm state)
	po=$(nsx $ns ip xfrm policy)
	echo "$st" | sed 's/^/    /'
	n_if=$(grep -c 'if_id 0x2a' <<<"$st")
	n_mark=$(grep -c 'mark 0x2a/0xffffffff' <<<"$st")
	[ "$n_if" = 2 ] && [ "$n_mark" = 2 ] ||
		fail "$ns: expected 2 SAs with if_id 0x2a and 2 with mark 0x2a, got $n_if / $n_mark"
	grep -q 'spi 0x00000000\|reqid '$REQID_BASE' ' <<<"$st" &&
		fail "$ns: a larval SPI state is left next to the SAs"
	n_if=$(grep -c 'if_id 0x2a' <<<"$po")
	n_mark=$(grep -c 'mark 0x2a/0xffffffff' <<<"$po")
	[ "$n_if" = 3 ] && [ "$n_mark" = 3 ] ||
		{ echo "$po"; fail "$ns: expected 3 policies (out, in, fwd) with if_id 0x2a and 3 with mark 0x2a, got $n_if / $n_mark"; }
	ip -n $ns route show table 220 2>/dev/null | grep -q . &&
		fail "$ns: a route in table 220 for a route-based policy"
done

capture_start wire br0 wan
before_a=$(xfrm_total a)
before_b=$(xfrm_total b)
log "traffic: xfrm interface (if_id 42), then VTI (mark 0x2a)"
ping_ok a 10.2.0.1 3 -I 10.1.0.1
ping_ok a 10.2.1.1 3 -I 10.1.1.1
capture_stop wan
assert_esp_no_plain wan 12 'icmp or net 10.1.0.0/16 or net 10.2.0.0/16'
assert_xfrm_rise a "$before_a" 6
assert_xfrm_rise b "$before_b" 6

log "sa_stats against ip -s xfrm state"
for ns in a b; do
	while read -r src dst spi bytes packets; do
		case $dst in 192.0.2.1[12]) m=$P2 ;; *) m=$P1 ;; esac
		drv $ns stats spi=${spi#0x} dst=$dst $m
		read -r _ _ sb _ sp _ at _ ut <<<"$R"
		[ "$sb" = "$bytes" ] && [ "$sp" = "$packets" ] && [ "$packets" -ge 3 ] &&
			[ "$at" -gt 0 ] && [ "$ut" -ge "$at" ] ||
			fail "$ns: sa_stats of $spi says $R, ip -s xfrm state $bytes bytes $packets packets"
	done < <(xfrm_counters $ns)
done
# An SA named without its mark is another SA: the kernel does not find it.
echo "stats spi=${SPI2_AIN} dst=192.0.2.11" >&"${DIN[a]}"
IFS= read -r -t 20 R <&"${DOUT[a]}"
log "a: stats without the mark -> $R"
grep -q "no such SA.*ESRCH" <<<"$R" || fail "stats of a marked SA without its mark: $R"

log "deletes, then close"
for ns in a b; do pols del $ns; sas del $ns; done
for ns in a b; do
	left=$(osprey_left $ns)
	[ -z "$left" ] || fail "$ns: deletes left osprey state: $left"
	drv_stop $ns
	left=$(osprey_left $ns)
	[ -z "$left" ] || fail "$ns: close left osprey state: $left"
	grep -i "error" "$W/drv-$ns.log" && fail "$ns: the plugin logged an error"
done
log "pass"
