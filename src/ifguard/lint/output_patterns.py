"""What pasted command output looks like: the (regex, description) table ``ifguard.lint.classify``
matches a stripped line against (``ip``, ``bridge``, ``ifconfig``, ``systemctl``, logs, ...).
Data only; the classifier compiles it on first use."""

from __future__ import annotations

# (pattern, description) — matched against the stripped line. Compiled on first use only:
# most runs never leave the fast path, and `ifguard lint` start-up time matters.
OUTPUT_SOURCES: tuple[tuple[str, str], ...] = (
    (r"^\d+:\s+\S+?(@\S+)?:\s+<[A-Z0-9_,-]*>", "output of `ip link` / `ip addr`"),
    (
        r"^link/(ether|loopback|none|void|ppp|sit|gre|ipip|tunnel6|ieee802\.11|infiniband)\b",
        "output of `ip link`",
    ),
    (r"^inet6?\s+\S+\s+(brd|scope|metric|peer)\b", "output of `ip addr`"),
    (r"^inet6?\s+[0-9a-fA-F:.]+/\d+\s*$", "output of `ip addr`"),
    (r"^valid_lft\s", "output of `ip addr`"),
    (r"^altname\s+\S+$", "output of `ip link`"),
    (r"^(RX|TX):\s+bytes\s+packets", "output of `ip -s link`"),
    (r"^(\d+\s+){4,}\d+\s*$", "output of `ip -s link`"),
    (
        r"^(bridge|bridge_slave|veth|vlan|vxlan|bond|bond_slave|openvswitch|"
        r"openvswitch_slave|dummy|macvlan|tun|team|team_slave)\b.*\bnumtxqueues \d+ "
        r"numrxqueues \d+",
        "output of `ip -d link`",
    ),
    (r"^bridge_slave state \S+ priority \d+ cost \d+", "output of `ip -d link`"),
    (r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}\s+dev\s+\S+(\s|$)", "output of `bridge fdb`"),
    (r"^port\s+vlan[- ]ids?\s*$", "output of `bridge vlan`"),
    (
        r"^(default|\d+\.\d+\.\d+\.\d+(/\d+)?|[0-9a-f:]+::?[0-9a-f:]*/\d+)\s+(via|dev)\s+\S+.*"
        r"\b(proto|scope|metric|dev)\b",
        "output of `ip route`",
    ),
    (r"^\S+\s+dev\s+\S+\s+lladdr\s", "output of `ip neigh`"),
    (r"^\d+:\s+(not\s+)?from\s+\S+", "output of `ip rule`"),
    (r"^\S+:\s+flags=\d+<", "output of `ifconfig`"),
    (r"^\S+\s+Link encap:", "output of `ifconfig`"),
    (r"^inet (addr:)?\d+\.\d+\.\d+\.\d+\s+(netmask|Bcast|Mask)", "output of `ifconfig`"),
    (
        r"^(inet6 addr:|(ether|loop|unspec|infiniband|ppp|tunnel)\s+(\S+\s+)?txqueuelen)",
        "output of `ifconfig`",
    ),
    (r"^inet6\s+\S+\s+prefixlen\s+\d+", "output of `ifconfig`"),
    (r"^(RX|TX) (packets|errors|bytes)[ :]", "output of `ifconfig`"),
    (r"^(collisions:\d+|Interrupt:\d+|Memory:[0-9a-f]+-|Base address:0x)", "output of `ifconfig`"),
    (r"^UP (BROADCAST|LOOPBACK|POINTOPOINT)", "output of `ifconfig`"),
    (r"^bridge name\s+bridge id", "output of `brctl show`"),
    (r"^\S+\s+8000\.[0-9a-f]{12}\s+(yes|no)\b", "output of `brctl show`"),
    (
        r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "output of `ovs-vsctl show`",
    ),
    (r"^(Bridge|Port|Interface)\s+\"?[\w.:@-]+\"?$", "output of `ovs-vsctl show`"),
    (
        r"^(type|tag|trunks|options|error|ovs_version|fail_mode|datapath_type|"
        r"bond_mode|lacp_status|lacp_fallback_ab|active-backup primary|updelay|downdelay|"
        r"lacp_time|next rebalance|active member mac|active slave mac):\s",
        "output of `ovs-vsctl show` / `ovs-appctl bond/show`",
    ),
    (r"^---- \S+ ----$", "output of `ovs-appctl bond/show`"),
    (
        r"^(bond may use recirculation|bond-hash-basis|lb_output action|all members active|"
        r"all slaves active|active (member|slave) mac):",
        "output of `ovs-appctl bond/show`",
    ),
    (r"^active (member|slave)$", "output of `ovs-appctl bond/show`"),
    (
        r"^(status|sys_id|sys_priority|aggregation key|port_id|port_priority|"
        r"(actor|partner) (sys_id|sys_priority|port_id|port_priority|key|state)):\s",
        "output of `ovs-appctl lacp/show`",
    ),
    (r"^(member|slave): \S+: (current|expired|defaulted)", "output of `ovs-appctl lacp/show`"),
    (r"^(member|slave) \S+: (enabled|disabled)", "output of `ovs-appctl bond/show`"),
    (r"^(may_enable|hash \d+):", "output of `ovs-appctl bond/show`"),
    (
        r"^(Ethernet Channel Bonding Driver|Bonding Mode|Transmit Hash Policy|MII Status|"
        r"MII Polling Interval \(ms\)|Up Delay \(ms\)|Down Delay \(ms\)|Slave Interface|"
        r"Currently Active Slave|Primary Slave|Link Failure Count|Permanent HW addr|"
        r"Slave queue ID|Aggregator ID|LACP rate|Min links|Aggregator selection policy|"
        r"Active Aggregator Info|Number of ports|Actor Key|Partner Key|Partner Mac Address|"
        r"System priority|System MAC address|Speed|Duplex|Peer Notification Delay \(ms\)|"
        r"ARP Polling Interval \(ms\)|ARP IP target/s|802\.3ad info|details actor lacp pdu|"
        r"details partner lacp pdu|port key|port priority|port number|port state|"
        r"system priority|system mac address|oper key|Actor Churn State|Partner Churn State|"
        r"Actor Churned Count|Partner Churned Count|LACP active|LACP port priority)(?!\w).*:",
        "contents of `/proc/net/bonding/*`",
    ),
    (r"^Settings for \S+:$", "output of `ethtool`"),
    (r"^802\.3ad info$", "contents of `/proc/net/bonding/*`"),
    (
        r"^(Supported|Advertised|Link partner advertised) (pause frame use|"
        r"auto-negotiation|FEC modes|link modes):",
        "output of `ethtool`",
    ),
    (
        r"^(Supports auto-negotiation|Supports Wake-on|MDI-X|Current message level):",
        "output of `ethtool`",
    ),
    (r"^(\d+base[A-Za-z0-9]+/(Half|Full)\s*)+$", "output of `ethtool`"),
    (
        r"^(drv|probe|link|timer|ifdown|ifup|rx_err|tx_err|tx_queued|intr|tx_done|rx_status|"
        r"pktdata|hw|wol)( (drv|probe|link|timer|ifdown|ifup|rx_err|tx_err|tx_queued|intr|"
        r"tx_done|rx_status|pktdata|hw|wol))+$",
        "output of `ethtool`",
    ),
    (
        r"^(Link detected|Supported link modes|Advertised link modes|Auto-negotiation|"
        r"Supported ports|Port|PHYAD|Transceiver|Wake-on|Current message level):",
        "output of `ethtool`",
    ),
    (r"^PING \S+ \(", "output of `ping`"),
    (r"^\d+ bytes from ", "output of `ping`"),
    (r"^--- \S+ ping statistics ---$", "output of `ping`"),
    (r"^\d+ packets transmitted, ", "output of `ping`"),
    (r"^(rtt|round-trip) min/avg/max", "output of `ping`"),
    (r"^\[\s*\d+\.\d+\]\s", "output of `dmesg`"),
    (r"^[●○×]\s+\S+\.(service|target|socket)\b", "output of `systemctl status`"),
    (
        r"^(Loaded: (loaded|not-found|masked)|Active: (active|inactive|failed|activating))",
        "output of `systemctl status`",
    ),
    (r"^(Main PID|Process|Tasks|Memory|CPU|CGroup): ", "output of `systemctl status`"),
    (r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ [\w@.-]+(\[\d+\])?: ", "a syslog / journal line"),
    (r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d", "a timestamped log line"),
    (r"^(warning|error|debug|info): \S", "messages printed by ifupdown2 / ifquery"),
)
