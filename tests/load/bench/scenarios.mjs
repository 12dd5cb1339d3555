// The benchmark's scenarios (S1-S5) as load-generator layouts and steps, full and quick.
// A step list's first step is a warm-up: run, checked for loss, left out of the figures.

export const SERVERS = ['staffroom', 'chat-multi', 'node-ws'];

export function scenarios(quick) {
  const q = (small, full) => (quick ? small : full);
  const s4 = [];
  for (const sync of ['full', 'normal']) {
    const serverArgs = sync === 'full' ? [] : ['--synchronous', 'normal'];
    s4.push(
      {
        name: 'S4', variant: `${sync}/one-txn-per-post`, servers: ['staffroom'], serverArgs,
        layout: { channels: 1, subscribers: 1, publishers: 1, accounts: 1 },
        args: ['--closed-loop', '1'], steps: q('0:0.3,0:0.5', '0:1,0:4'),
      },
      {
        name: 'S4', variant: `${sync}/closed-loop-100`, servers: ['staffroom'], serverArgs,
        layout: { channels: q(4, 100), subscribers: 1, publishers: 1, accounts: 1 },
        args: ['--closed-loop', '1'], steps: q('0:0.3,0:0.5', '0:1,0:4'),
      },
      {
        name: 'S4', variant: `${sync}/open-loop`, servers: ['staffroom'], serverArgs,
        layout: { channels: q(4, 100), subscribers: 1, publishers: 1, accounts: 1 },
        args: ['--stop-p99-ms', '20'],
        // Coarse below where every build of this server has kept up, finer where this machine's
        // single core tops out (25-60k posts/s since the search index left the writer); the
        // sweep stops at the first step past the 20 ms bound.
        steps: q('50:0.3,200:0.5',
          '500:1,1000:3,3000:3,5000:3,7500:3,10000:3,12500:3,15000:3,17500:3,20000:3,25000:3,30000:3,40000:3,45000:3,50000:3,60000:3'),
      },
    );
  }
  return [
    {
      name: 'S1', variant: 'idle', servers: SERVERS,
      layout: { channels: 1, subscribers: q(50, 15000), publishers: 0, accounts: q(2, 100) },
      args: ['--idle-seconds', q('0.5', '2'), '--connect-parallel', '200'], steps: '',
    },
    {
      name: 'S2', variant: 'fan-out', servers: SERVERS,
      layout: { channels: 1, subscribers: q(21, 1001), publishers: 1, accounts: q(2, 20) },
      // Quick mode reads S2 through Asio, so the generator's fallback (where the kernel refuses
      // io_uring) keeps working; every other scenario reads through the ring where it can.
      args: ['--body-bytes', '200', ...q(['--reader', 'asio'], [])],
      steps: q('20:0.3,20:1,200:0.5', '20:1,20:8,100:3,200:3'),
    },
    {
      name: 'S3', variant: 'sweep', servers: ['staffroom'],
      layout: { channels: q(4, 100), subscribers: q(5, 100), publishers: 1, accounts: q(1, 2) },
      args: ['--body-bytes', '200', '--stop-p99-ms', '50'],
      steps: q('20:0.3,100:0.5,400:0.5', '50:1,100:3,200:3,300:3,500:3,750:3,1000:3,1250:3,1500:3,2000:3,3000:3'),
    },
    // Quick mode keeps one closed-loop and one open-loop S4 run: every code path, half the time.
    ...s4.filter((v) => !quick || ['full/one-txn-per-post', 'normal/open-loop'].includes(v.variant)),
    {
      name: 'S5', variant: 'stalled-subscriber', servers: SERVERS,
      layout: { channels: 1, subscribers: q(12, 52), publishers: 1, accounts: q(2, 10) },
      // After a warm-up, windows where nobody new stalls alternate with windows where one more
      // subscriber stalls (long enough for the server to close it at the queue bound).
      args: ['--body-bytes', q('1000', '4000'), '--stall', q('1', '3'), '--stall-step', '2',
        '--stall-every', '2', '--stall-wait', q('0.3', '1')],
      steps: q('20:0.3,200:0.4,200:0.6,200:0.4', '50:1' + ',300:2,300:4'.repeat(3) + ',300:2'),
    },
  ];
}

// The machine's floor (staffroom-floor): S2's and S3's deliveries as bare loopback writes from
// one thread pinned like the server, read by one pinned like the generator. S3's floor uses
// 90 groups of 100 (18,000 descriptors in one process; the hard limit is 20,000).
export function floors(quick) {
  if (quick) {
    return [
      { for: 'S2', variant: 'S2 20/s', args: ['--subscribers', '20', '--rate', '20', '--seconds', '0.5'] },
      { for: 'S3', variant: 'S3 sweep', sweep: [100], args: ['--subscribers', '40', '--groups', '4', '--seconds', '0.5'] },
    ];
  }
  return [
    { for: 'S2', variant: 'S2 20/s', args: ['--subscribers', '1000', '--rate', '20', '--seconds', '8'] },
    { for: 'S2', variant: 'S2 200/s', args: ['--subscribers', '1000', '--rate', '200', '--seconds', '3'] },
    { for: 'S3', variant: 'S3 sweep', sweep: [500, 1000, 1500, 2000],
      args: ['--subscribers', '9000', '--groups', '90', '--seconds', '3'] },
  ];
}
