// The two charts (Chart.js, bundled): benefit realisation and forecast per initiative,
// and progress of every linked key result. Only the parts used are registered.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const pct = (v) => (v === undefined || v === null ? null : Math.round(v * 1000) / 10);

function barChart(canvas, datasets) {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { suggestedMin: 0, suggestedMax: 100, title: { display: true, text: '% of the planned improvement' } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.parsed.x}%` } },
      },
    },
  });
}

export class Charts {
  constructor(benefitCanvas, okrCanvas) {
    this.benefits = barChart(benefitCanvas, [
      { label: 'Realised', data: [], backgroundColor: '#2f6f4f' },
      { label: 'Forecast at target date', data: [], backgroundColor: '#9cc3ad' },
    ]);
    this.okr = barChart(okrCanvas, [{ label: 'Progress', data: [], backgroundColor: '#34558b' }]);
    this.okr.options.scales.x.title.text = '% of target';
  }

  update(dashboard) {
    const rows = dashboard.rows || [];
    const label = (r) => r.title || r.initiativeId;

    this.benefits.data.labels = rows.map(label);
    this.benefits.data.datasets[0].data = rows.map((r) => pct(r.benefitRealisation));
    this.benefits.data.datasets[1].data = rows.map((r) => {
      const forecasts = (r.benefits || []).map((b) => b.forecastShare).filter((v) => v !== undefined);
      return forecasts.length ? pct(forecasts.reduce((a, b) => a + b, 0) / forecasts.length) : null;
    });
    this.benefits.update('none');

    // One bar per key result (shared key results appear once).
    const seen = new Map();
    for (const r of rows) {
      for (const kr of r.keyResults || []) {
        if (!seen.has(kr.keyResultId)) seen.set(kr.keyResultId, kr);
      }
    }
    const krs = [...seen.values()];
    this.okr.data.labels = krs.map((kr) => (kr.metric ? `${kr.metric} (${kr.keyResultId})` : kr.keyResultId));
    this.okr.data.datasets[0].data = krs.map((kr) => pct(kr.progress));
    this.okr.update('none');
  }
}
