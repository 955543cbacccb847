#!/usr/bin/env bash
# A local Kubernetes control plane on loopback, for the kube tier and by hand:
#   scripts/kube.sh up       start (or finish starting) etcd, kube-apiserver, kube-controller-manager,
#                            kube-scheduler and kwok with 3 fake nodes in 3 zones; install the storage
#                            class, local PersistentVolumes and the upstream CRDs; print the kubeconfig
#   scripts/kube.sh down     stop every process `up` started, by the PIDs it recorded
#   scripts/kube.sh env      print `export KUBECONFIG=...`
#   scripts/kube.sh status   each process and whether the API server is ready
#   scripts/kube.sh storage  make every PersistentVolume of the storage class Available again
#                            (a deleted claim leaves its volume Released)
# Binaries come from scripts/ensure-kube-tools.sh (pinned in scripts/tools.env). State (certificates,
# etcd data, logs, PIDs, kubeconfig) lives in $NATSKUBE_KUBE_DIR (default .kube/, ignored by git).
# Everything listens on $NATSKUBE_KUBE_ADDR (default 127.0.10.1), a loopback address of its own.
# Every wait is bounded; progress goes to stderr, the kubeconfig path to stdout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools.env
source "$ROOT/scripts/tools.env"
TOOLS=${NATSKUBE_TOOLS_DIR:-$ROOT/.tools}
STATE=${NATSKUBE_KUBE_DIR:-$ROOT/.kube}
ADDR=${NATSKUBE_KUBE_ADDR:-127.0.10.1}
NODES=${NATSKUBE_KUBE_NODES:-3}
# Local volumes per node of the default storage class.
PVS_PER_NODE=${NATSKUBE_KUBE_PVS_PER_NODE:-6}
# The range kwok gives pod IPs from. Two control planes on one machine each start at the range's first
# address, so a test that puts pod IPs on lo (the pod proxy test of status) gives its own a range of its own.
POD_CIDR=${NATSKUBE_KUBE_POD_CIDR:-10.244.0.1/16}
STORAGE_CLASS=standard
ETCD_PORT=2379 ETCD_PEER_PORT=2380 API_PORT=6443 KCM_PORT=10257 SCHED_PORT=10259 KWOK_PORT=10247
K8S_BIN=$TOOLS/kube/k8s-$KUBERNETES_VERSION
ETCD_BIN=$TOOLS/kube/etcd-$ETCD_VERSION/etcd
KWOK_BIN=$TOOLS/kube/kwok-$KWOK_VERSION/kwok
KUBECONFIG_FILE=$STATE/admin.kubeconfig
PKI=$STATE/pki
say() { echo "kube.sh: $*" >&2; }
die() { say "$*"; exit 1; }
[[ $ADDR == 127.* ]] || die "NATSKUBE_KUBE_ADDR=$ADDR is not a loopback address (127.0.0.0/8 only)"

kubectl() { "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=20s "$@"; }

# ---------------------------------------------------------------- processes

pidfile() { echo "$STATE/pids/$1.pid"; }
# running NAME: the recorded PID is alive and still runs the binary it was started from.
running() {
  local f pid
  f=$(pidfile "$1")
  [[ -f $f ]] || return 1
  pid=$(cat "$f")
  [[ -d /proc/$pid ]] && grep -qa -- "$(cat "$STATE/pids/$1.bin")" "/proc/$pid/cmdline" 2>/dev/null
}
# start NAME BINARY ARGS...: in the background, its own session, output to logs/NAME.log.
start() {
  local name=$1 bin=$2
  shift 2
  if running "$name"; then say "$name already running (pid $(cat "$(pidfile "$name")"))"; return 0; fi
  [[ -x $bin ]] || die "$bin is missing: run scripts/ensure-kube-tools.sh"
  mkdir -p "$STATE/pids" "$STATE/logs"
  setsid "$bin" "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
  echo "$bin" >"$STATE/pids/$name.bin"
  say "started $name (pid $!, log ${STATE#"$ROOT"/}/logs/$name.log)"
}
stop() {
  local name=$1 f pid i
  f=$(pidfile "$name")
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if running "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
    if [[ -d /proc/$pid ]]; then say "$name (pid $pid) did not stop in 10 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$f" "$STATE/pids/$name.bin"
}
# wait_for WHAT SECONDS COMMAND...: retries COMMAND every 0.5 s until it succeeds or SECONDS pass.
wait_for() {
  local what=$1 secs=$2 deadline
  shift 2
  deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
  say "$what ready ($((SECONDS - T0)) s)"
}
# die_with_log NAME MESSAGE: the end of the component's log explains most failures.
die_with_log() {
  say "$2; last lines of ${STATE#"$ROOT"/}/logs/$1.log:"
  tail -n 25 "$STATE/logs/$1.log" >&2 || true
  exit 1
}

# ---------------------------------------------------------------- certificates

pki() {
  [[ -f $PKI/.done && $(cat "$PKI/.done") == "$ADDR" ]] && return 0
  command -v openssl >/dev/null || die "openssl is missing (scripts/ensure-tools.sh installs it)"
  say "creating certificates in ${PKI#"$ROOT"/}"
  rm -rf "$PKI"
  mkdir -p "$PKI"
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=natskube-local-ca" 2>/dev/null
    # cert NAME SUBJECT [SAN]: a key and a certificate signed by the CA.
    cert() {
      local ext
      ext=$(mktemp)
      if [[ -n ${3:-} ]]; then
        printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$3" >"$ext"
      else
        printf 'extendedKeyUsage=clientAuth\n' >"$ext"
      fi
      openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 3650 -extfile "$ext" 2>/dev/null
      rm -f "$1.csr" "$ext"
    }
    cert apiserver "/CN=kube-apiserver" "IP:$ADDR,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
    cert admin "/O=system:masters/CN=natskube-admin"
    # the service-account token signing key pair
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
  chmod 600 "$PKI"/*.key
  echo "$ADDR" >"$PKI/.done"
}

write_kubeconfig() {
  cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: natskube-local
  cluster:
    server: https://$ADDR:$API_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: natskube-admin
  user:
    client-certificate: $PKI/admin.crt
    client-key: $PKI/admin.key
contexts:
- name: natskube-local
  context:
    cluster: natskube-local
    user: natskube-admin
current-context: natskube-local
EOF
  chmod 600 "$KUBECONFIG_FILE"
}

# ---------------------------------------------------------------- cluster contents

nodes() {
  local i zone
  for ((i = 1; i <= NODES; i++)); do
    zone=zone-$(((i - 1) % 3 + 1))
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    kubernetes.io/role: agent
    node.kubernetes.io/instance-type: kwok-8x32
    topology.kubernetes.io/region: local
    topology.kubernetes.io/zone: $zone
    type: kwok
spec: {}
EOF
  done
}

# Local volumes pinned to their node (as on a real cluster with local disks), bound when the first
# pod that uses the claim is scheduled (WaitForFirstConsumer), so the scheduler accounts for them.
storage_objects() {
  local i j
  cat <<EOF
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: $STORAGE_CLASS
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Retain
EOF
  for ((i = 1; i <= NODES; i++)); do
    for ((j = 1; j <= PVS_PER_NODE; j++)); do
      cat <<EOF
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: local-kwok-node-$i-$j
  labels: {natskube.local/storage: "true"}
spec:
  capacity: {storage: 100Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: $STORAGE_CLASS
  local: {path: /mnt/disks/vol$j}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [kwok-node-$i]}
EOF
    done
  done
}

# Released volumes (their claim was deleted) become Available again: the data is fake.
# Test files run two at a time and each recycles after deleting its namespace, so two recycles can
# race for one volume: the patch frees a volume only while it still holds the deleted claim (a JSON
# patch "test" on the claim's uid), so it never unbinds a claim that has just bound it. A volume the
# other run already freed is not an error.
recycle_storage() {
  local pv uid now
  while read -r pv uid; do
    [[ -n $pv ]] || continue
    if kubectl patch pv "$pv" --type json \
      -p "[{\"op\":\"test\",\"path\":\"/spec/claimRef/uid\",\"value\":\"$uid\"},{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]" >/dev/null 2>&1; then
      say "volume $pv is Available again"
      continue
    fi
    now=$(kubectl get pv "$pv" -o jsonpath='{.status.phase} {.spec.claimRef.uid}') || die "reading volume $pv failed"
    [[ $now == "Released $uid" ]] && die "volume $pv still holds its deleted claim $uid and could not be freed"
    say "volume $pv was already freed"
  done < <(kubectl get pv -l natskube.local/storage=true -o jsonpath='{range .items[?(@.status.phase=="Released")]}{.metadata.name}{" "}{.spec.claimRef.uid}{"\n"}{end}')
}

module_dir() {
  local GO=${GO:-go}
  command -v "$GO" >/dev/null 2>&1 || GO=/usr/local/go/bin/go
  "$GO" mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

crds() {
  local stamp="NACK $NACK_CRDS_VERSION, cert-manager $CERT_MANAGER_VERSION, prometheus-operator $PROMETHEUS_OPERATOR_VERSION"
  # installed by an earlier `up` into the same etcd data (the stamp lives next to it)
  if [[ -f $STATE/.crds && $(cat "$STATE/.crds") == "$stamp" ]] && kubectl get crd streams.jetstream.nats.io certificates.cert-manager.io podmonitors.monitoring.coreos.com >/dev/null 2>&1; then
    return 0
  fi
  local nack cm po files=()
  nack=$(module_dir "github.com/nats-io/nack@v$NACK_CRDS_VERSION") || true
  cm=$(module_dir "github.com/cert-manager/cert-manager@v$CERT_MANAGER_VERSION") || true
  po=$(module_dir "github.com/prometheus-operator/prometheus-operator@v$PROMETHEUS_OPERATOR_VERSION") || true
  [[ -n $nack && -n $cm && -n $po ]] || die "could not download the modules that ship the CRDs (go mod download)"
  files=("$nack/deploy/crds.yml" "$cm"/deploy/crds/*.yaml "$po"/example/prometheus-operator-crd/*.yaml)
  local f
  for f in "${files[@]}"; do [[ -f $f ]] || die "CRD file $f is missing"; done
  local args=()
  for f in "${files[@]}"; do args+=(-f "$f"); done
  kubectl apply --server-side --force-conflicts --field-manager=natskube-kube-sh "${args[@]}" >/dev/null ||
    die "installing the CRDs failed"
  kubectl wait --for condition=Established --timeout=60s crd --all >/dev/null || die "the CRDs were not Established within 60 s"
  echo "$stamp" >"$STATE/.crds"
  say "CRDs installed: $stamp ($((SECONDS - T0)) s)"
}

# kwok's own stages, from its module (what `kwokctl` uses): nodes become Ready and keep a lease
# (as a kubelet's heartbeat), pods become Running and Ready, deleted pods go away.
kwok_stages() {
  local kwok f
  kwok=$(module_dir "sigs.k8s.io/kwok@v$KWOK_VERSION") || true
  [[ -n $kwok ]] || die "could not download sigs.k8s.io/kwok@v$KWOK_VERSION (its stages)"
  : >"$STATE/kwok-stages.yaml"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    [[ -f $kwok/kustomize/stage/$f ]] || die "kwok stage $f is missing from $kwok"
    { echo "---"; cat "$kwok/kustomize/stage/$f"; } >>"$STATE/kwok-stages.yaml"
  done
  # PortForward resources say where a pod's port goes (kwok pods run nothing): a test points them at
  # its loopback servers, and `kubectl port-forward` / natskube reach those through the API server.
  kubectl apply --server-side --field-manager=natskube-kube-sh -f "$kwok/kustomize/crd/bases/kwok.x-k8s.io_portforwards.yaml" >/dev/null ||
    die "installing kwok's PortForward CRD failed"
  kubectl wait --for condition=Established --timeout=60s crd portforwards.kwok.x-k8s.io >/dev/null || die "kwok's PortForward CRD was not Established within 60 s"
}

# ---------------------------------------------------------------- commands

up() {
  T0=$SECONDS
  [[ -x $K8S_BIN/kube-apiserver && -x $ETCD_BIN && -x $KWOK_BIN ]] || bash "$ROOT/scripts/ensure-kube-tools.sh"
  mkdir -p "$STATE"
  pki
  write_kubeconfig

  start etcd "$ETCD_BIN" --name natskube-local --data-dir "$STATE/etcd" \
    --listen-client-urls "http://$ADDR:$ETCD_PORT" --advertise-client-urls "http://$ADDR:$ETCD_PORT" \
    --listen-peer-urls "http://$ADDR:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://$ADDR:$ETCD_PEER_PORT" \
    --initial-cluster "natskube-local=http://$ADDR:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn
  wait_for etcd 30 curl -fsS "http://$ADDR:$ETCD_PORT/health" || die_with_log etcd "etcd did not become healthy within 30 s"

  # Admission: the default plugins (PodSecurity, ServiceAccount, DefaultStorageClass,
  # LimitRanger, ResourceQuota, ...); feature gates: the release's defaults. No endpoint reconciler:
  # it would publish the advertise address as the endpoint of the `kubernetes` Service, and the API
  # server refuses to start with a loopback one.
  start kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers "http://$ADDR:$ETCD_PORT" \
    --bind-address "$ADDR" --advertise-address "$ADDR" --secure-port "$API_PORT" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode RBAC \
    --enable-priority-and-fairness=false \
    --endpoint-reconciler-type none \
    --profiling=false
  wait_for kube-apiserver 90 kubectl get --raw /readyz || die_with_log kube-apiserver "kube-apiserver was not ready within 90 s"

  # The nodes before kwok starts, so that kwok initializes them with their capacity, not its own, and
  # with its kubelet API (port-forwards) on the node port, also for nodes an earlier `up` left in etcd.
  nodes | kubectl apply --server-side --field-manager=natskube-kube-sh -f - >/dev/null || die "creating the nodes failed"
  local i
  for ((i = 1; i <= NODES; i++)); do
    kubectl patch node "kwok-node-$i" --subresource=status --type=merge \
      -p '{"status":{"allocatable":{"cpu":"8","memory":"32Gi","pods":"110","ephemeral-storage":"100Gi"},"capacity":{"cpu":"8","memory":"32Gi","pods":"110","ephemeral-storage":"100Gi"},"daemonEndpoints":{"kubeletEndpoint":{"Port":'"$KWOK_PORT"'}}}}' >/dev/null ||
      die "setting the capacity of kwok-node-$i failed"
  done

  local common=(--kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE"
    --authorization-kubeconfig "$KUBECONFIG_FILE" --bind-address "$ADDR" --leader-elect=false --profiling=false)
  # Every default controller: statefulset, persistentvolume-binder, disruption, endpoints,
  # endpointslice, garbage collector, namespace, serviceaccount, node lifecycle, ...
  start kube-controller-manager "$K8S_BIN/kube-controller-manager" "${common[@]}" --secure-port "$KCM_PORT" \
    --root-ca-file "$PKI/ca.crt" --service-account-private-key-file "$PKI/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --controllers '*'
  start kube-scheduler "$K8S_BIN/kube-scheduler" "${common[@]}" --secure-port "$SCHED_PORT"
  kwok_stages
  start kwok "$KWOK_BIN" --config "$STATE/kwok-stages.yaml" --kubeconfig "$KUBECONFIG_FILE" --server-address "$ADDR:$KWOK_PORT" \
    --node-lease-duration-seconds 40 \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-ip "$ADDR" --cidr "$POD_CIDR" \
    --node-port "$KWOK_PORT" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --enable-crds PortForward
  wait_for kube-controller-manager 60 curl -fsSk "https://$ADDR:$KCM_PORT/healthz" || die_with_log kube-controller-manager "kube-controller-manager was not healthy within 60 s"
  wait_for kube-scheduler 60 curl -fsSk "https://$ADDR:$SCHED_PORT/healthz" || die_with_log kube-scheduler "kube-scheduler was not healthy within 60 s"

  wait_for "$NODES kwok nodes" 60 nodes_ready || die_with_log kwok "the kwok nodes were not Ready within 60 s"
  storage_objects | kubectl apply --server-side --field-manager=natskube-kube-sh -f - >/dev/null || die "creating the storage failed"
  recycle_storage
  crds
  wait_for "default service account" 60 kubectl -n default get serviceaccount default ||
    die_with_log kube-controller-manager "the service account controller did not create default/default within 60 s"
  say "up in $((SECONDS - T0)) s; export KUBECONFIG=$KUBECONFIG_FILE"
  echo "$KUBECONFIG_FILE"
}

nodes_ready() {
  local ready
  ready=$(kubectl get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^True$')
  [[ $ready -ge $NODES ]]
}

down() {
  # reverse order: the clients before the API server, the API server before etcd
  local name
  for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do stop "$name"; done
}

status() {
  local name rc=0
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
    if running "$name"; then echo "$name: running (pid $(cat "$(pidfile "$name")"))"; else echo "$name: stopped"; rc=1; fi
  done
  if [[ -f $KUBECONFIG_FILE ]] && kubectl get --raw /readyz >/dev/null 2>&1; then
    echo "api server: ready at https://$ADDR:$API_PORT (KUBECONFIG=$KUBECONFIG_FILE)"
  else
    echo "api server: not ready"
    rc=1
  fi
  return $rc
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) echo "export KUBECONFIG=$KUBECONFIG_FILE" ;;
  status) status ;;
  storage) recycle_storage ;;
  *) die "usage: $0 up|down|env|status|storage" ;;
esac
