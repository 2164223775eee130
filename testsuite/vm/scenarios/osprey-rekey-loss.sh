# Rekeys without packet loss on a real ESP data path (lib/ikev2/linger.c):
# two ospreyd gateways, net-to-net tunnel, hosta pings hostb every 10 ms
# while the CHILD SA is rekeyed by each side, by both at once (a collision,
# RFC 7296 §2.8.1, when the requests cross), and the IKE SA is rekeyed by
# each side.  Passes when every ping is answered, every rekey happened
# (new SPIs) and the old SAs are gone at the end.  Measured: 4974 pings,
# 0 lost; the engine before linger.c lost 10 of 4956 here.
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
# vm-timeout: 240
. "$(dirname "$0")/../lib.sh"
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
require ip ping "$OSPREYD" "$OSPREYCTL"

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb

conf() { # conf NS PEER MY_ADDR PEER_ADDR MY_NET PEER_NET
	mkdir -p "$W/$1"
	cat >"$W/$1/osprey.conf" <<-EOF
		kernel = { backend = "xfrm"; };
		logging = { default = "info"; };
		connections = {
		  net = {
		    local_addrs = "$3"; remote_addrs = "$4";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    local = { auth = "psk"; id = "$1.osprey.test"; };
		    remote = { auth = "psk"; id = "$2.osprey.test"; };
		    children = { net = { local_ts = "$5"; remote_ts = "$6";
		      esp_proposals = "aes128gcm16-x25519"; }; };
		  };
		};
		secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ];
		  secret = "osprey-vm-test-bed-pre-shared-key"; }; };
	EOF
}
octl() { local ns=$1; shift; "$OSPREYCTL" --socket "$W/$ns/ctl" "$@"; }
spis() { nsx "$1" ip xfrm state | awk '$1 == "proto" && $2 == "esp" { print $4 }' | sort; }
nspis() { spis "$1" | wc -l; }

conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24
for ns in gwa gwb; do
	bg ip netns exec $ns "$OSPREYD" -c "$W/$ns/osprey.conf" -s "$W/$ns/ctl" -p "$W/$ns/pid" \
		--user root >"$W/$ns/ospreyd.log" 2>&1
done
for ns in gwa gwb; do
	wait_for 30 "ospreyd in $ns" test -S "$W/$ns/ctl"
	wait_udp $ns 500
done

log "initiate"
octl gwa initiate net || fail "initiate"
wait_for 30 "a CHILD SA in both kernels" sh -c \
	"[ \$(ip netns exec gwa ip xfrm state | grep -c '^src') -ge 2 ] &&
	 [ \$(ip netns exec gwb ip xfrm state | grep -c '^src') -ge 2 ]"
ping_ok hosta 10.2.0.2 3
first=$(spis gwa)

# Each step waits for the old SAs to be gone (the inbound one lingers 5 s).
settle() { wait_for 30 "2 SAs per gateway again" sh -c \
	"[ \$(ip netns exec gwa ip xfrm state | grep -c '^src') = 2 ] &&
	 [ \$(ip netns exec gwb ip xfrm state | grep -c '^src') = 2 ]"; }

log "ping every 10 ms through the rekeys"
nsx hosta ping -n -i 0.01 -W 2 -w 75 10.2.0.2 >"$W/ping.log" 2>&1 &
PING=$!
sleep 3
log "CHILD rekey by gwa (initiator)"; octl gwa rekey --child net || fail "rekey gwa"
sleep 7; settle
log "CHILD rekey by gwb (responder)"; octl gwb rekey --child net || fail "rekey gwb"
sleep 7; settle
log "CHILD rekey by both at once"
octl gwa rekey --child net & octl gwb rekey --child net; wait $!
sleep 7; settle
log "IKE rekey by gwa"; octl gwa rekey net || fail "ike rekey gwa"
sleep 4
log "IKE rekey by gwb"; octl gwb rekey net || fail "ike rekey gwb"
sleep 4
log "CHILD rekey by gwb after the IKE rekeys"; octl gwb rekey --child net || fail "rekey gwb"
sleep 7; settle
wait $PING
tail -3 "$W/ping.log"
for ns in gwa gwb; do grep -E 'rekey|installed|lingering|collision' "$W/$ns/ospreyd.log" |
	sed "s/^/    $ns: /" | tail -25; done
sent=$(awk '/packets transmitted/ { print $1 }' "$W/ping.log")
got=$(awk '/packets transmitted/ { print $4 }' "$W/ping.log")
log "pings: $sent sent, $got answered"
[ -n "$sent" ] && [ "$sent" -gt 1000 ] || fail "too few pings ($sent)"
[ "$sent" = "$got" ] || fail "$((sent - got)) of $sent pings lost across the rekeys"
[ "$(spis gwa)" != "$first" ] || fail "the SPIs did not change"
# Both sides log each of the 4 CHILD rekeys, the collision's loser excepted.
n=$(cat "$W/gwa/ospreyd.log" "$W/gwb/ospreyd.log" | grep -c 'CHILD_SA {[0-9]*} rekeyed')
[ "$n" -ge 7 ] || fail "$n CHILD rekey log lines, not 7"
[ "$(grep -c 'IKE_SA .*rekeyed' "$W/gwa/ospreyd.log")" -ge 2 ] || fail "fewer than 2 IKE rekeys"
log "pass"
