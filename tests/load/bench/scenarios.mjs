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
        args: ['--closed-loop', '1'], steps: q('0:0.3,0:0.5', '0:1,0:5'),
      },
      {
        name: 'S4', variant: `${sync}/closed-loop-100`, servers: ['staffroom'], serverArgs,
        layout: { channels: q(4, 100), subscribers: 1, publishers: 1, accounts: 1 },
        args: ['--closed-loop', '1'], steps: q('0:0.3,0:0.5', '0:1,0:5'),
      },
      {
        name: 'S4', variant: `${sync}/open-loop`, servers: ['staffroom'], serverArgs,
        layout: { channels: q(4, 100), subscribers: 1, publishers: 1, accounts: 1 },
        args: ['--stop-p99-ms', '20'],
        steps: q('50:0.3,200:0.5', '1000:1,5000:4,10000:4,20000:4,30000:4,40000:4'),
      },
    );
  }
  return [
    {
      name: 'S1', variant: 'idle', servers: SERVERS,
      layout: { channels: 1, subscribers: q(50, 18000), publishers: 0, accounts: q(2, 100) },
      args: ['--idle-seconds', q('0.5', '3'), '--connect-parallel', '200'], steps: '',
    },
    {
      name: 'S2', variant: 'fan-out', servers: SERVERS,
      layout: { channels: 1, subscribers: q(21, 1001), publishers: 1, accounts: q(2, 20) },
      args: ['--body-bytes', '200'], steps: q('20:0.5,20:1,200:1', '20:2,20:10,100:5,200:5'),
    },
    {
      name: 'S3', variant: 'sweep', servers: ['staffroom'],
      layout: { channels: q(4, 100), subscribers: q(5, 100), publishers: 1, accounts: q(1, 2) },
      args: ['--body-bytes', '200', '--stop-p99-ms', '50'],
      steps: q('20:0.5,100:1,400:1', '50:1,500:4,1000:4,1500:4,2000:4,2500:4,3000:4'),
    },
    ...s4,
    {
      name: 'S5', variant: 'stalled-subscriber', servers: SERVERS,
      layout: { channels: 1, subscribers: q(12, 102), publishers: 1, accounts: q(2, 10) },
      args: ['--body-bytes', '1000', '--stall', '1', '--stall-step', '2', '--stall-wait', q('0.3', '3')],
      steps: q('20:0.5,200:1,200:1', '50:1,400:5,400:5'),
    },
  ];
}
