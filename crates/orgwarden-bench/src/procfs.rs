//! CPU and memory figures read from `/proc`: of one process, of a process with its children
//! (PostgreSQL's backends), and of the whole machine (to tell a CPU-bound round from one that
//! waits on something else).

use anyhow::Context;

/// The fields of `/proc/<pid>/stat` after the command name (which may hold spaces), so that
/// field N of proc(5) is at index N - 3.
fn stat_fields(pid: u32) -> anyhow::Result<Vec<u64>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after_name = stat.rsplit_once(')').context("a /proc stat line")?.1;
    // The state (field 3) is a letter; the numeric fields follow it.
    Ok(after_name
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse::<i64>().map_or(0, |n| n.max(0) as u64))
        .collect())
}

fn ticks_to_seconds(ticks: u64) -> f64 {
    ticks as f64 / rustix::param::clock_ticks_per_second() as f64
}

/// Index (in [`stat_fields`]) of proc(5)'s field `n`.
const fn field(n: usize) -> usize {
    n - 4
}

/// CPU seconds (user + system) process `pid` has used so far.
pub fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let f = stat_fields(pid)?;
    let utime = f.get(field(14)).context("utime")?;
    let stime = f.get(field(15)).context("stime")?;
    Ok(ticks_to_seconds(utime + stime))
}

/// CPU seconds used by process `pid`, by its children that ended and were waited for (as a
/// PostgreSQL postmaster waits for its backends), and by its living children.
pub fn tree_cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let f = stat_fields(pid)?;
    let own: u64 = [14, 15, 16, 17]
        .iter()
        .map(|&n| f.get(field(n)).copied().unwrap_or(0))
        .sum();
    let mut living = 0;
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        // A process may end while it is read: it then counts with the ended ones.
        if let Ok(c) = stat_fields(child) {
            if c.get(field(4)).copied() == Some(u64::from(pid)) {
                living +=
                    c.get(field(14)).copied().unwrap_or(0) + c.get(field(15)).copied().unwrap_or(0);
            }
        }
    }
    Ok(ticks_to_seconds(own + living))
}

/// The postmaster of the PostgreSQL `scripts/with-postgres.sh` started (its data directory is in
/// `ORGWARDEN_TEST_POSTGRES_DATA`), if any.
pub fn postgres_pid() -> Option<u32> {
    let data = std::env::var("ORGWARDEN_TEST_POSTGRES_DATA").ok()?;
    let pid_file = std::fs::read_to_string(format!("{data}/postmaster.pid")).ok()?;
    pid_file.lines().next()?.trim().parse().ok()
}

/// The machine's CPU time so far: (busy, total) in ticks over all cores (`/proc/stat`).
pub fn machine_ticks() -> anyhow::Result<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let line = stat.lines().next().context("the cpu line of /proc/stat")?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    let total: u64 = ticks.iter().take(8).sum();
    // idle and iowait are the 4th and 5th counters.
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    Ok((total - idle, total))
}

/// Share of the machine's CPU (all cores) that was busy between two [`machine_ticks`] readings.
pub fn busy_share(before: (u64, u64), after: (u64, u64)) -> f64 {
    let busy = after.0.saturating_sub(before.0) as f64;
    let total = after.1.saturating_sub(before.1).max(1) as f64;
    busy / total
}

/// Peak resident memory of process `pid`, in MiB (`VmHWM`).
pub fn peak_rss_mib(pid: u32) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kib = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .context("VmHWM in /proc status")?;
    Ok(kib / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_process_figures_are_read() {
        let pid = std::process::id();
        let own = cpu_seconds(pid).expect("own stat");
        assert!(own >= 0.0);
        assert!(tree_cpu_seconds(pid).expect("own tree") >= own);
        assert!(peak_rss_mib(pid).expect("own status") > 1.0);
        let before = machine_ticks().expect("/proc/stat");
        let after = machine_ticks().expect("/proc/stat");
        assert!((0.0..=1.0).contains(&busy_share(before, after)));
    }
}
