/**
 * The 5×5 heat map of the risk register (ECharts, loaded lazily): impact across, likelihood up, each cell
 * coloured by the level of its score and labelled with how many risks sit there; a click filters the
 * register to that cell.
 */
import { lazy, Suspense, useMemo } from 'react';
import { Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { riskLevel, type RiskLevel } from '../../../shared/risk-schemas.js';
import type { ChartClick, ChartOption } from '../../ui/echart-view.js';
import type { RiskHeatMap } from './risk-api.js';

const EChartView = lazy(() => import('../../ui/echart-view.js'));

export const LEVEL_COLOR: Record<RiskLevel, string> = {
  low: '#69db7c',
  medium: '#ffd43b',
  high: '#ff922b',
  critical: '#fa5252',
};
const RANGE = [1, 2, 3, 4, 5];

export function RiskHeatMapChart({
  map,
  selected,
  onSelect,
}: {
  map: RiskHeatMap;
  selected: { likelihood: number; impact: number } | null;
  onSelect: (cell: { likelihood: number; impact: number }) => void;
}) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const count = (l: number, i: number) => map.cells.find((c) => c.likelihood === l && c.impact === i)?.count ?? 0;
    const data = RANGE.flatMap((l) =>
      RANGE.map((i) => {
        const n = count(l, i);
        const isSelected = selected?.likelihood === l && selected.impact === i;
        return {
          value: [i - 1, l - 1, n],
          itemStyle: {
            color: LEVEL_COLOR[riskLevel(l * i)],
            opacity: n > 0 ? 1 : 0.35,
            borderColor: isSelected ? '#1c7ed6' : '#fff',
            borderWidth: isSelected ? 3 : 1,
          },
        };
      }),
    );
    return {
      animation: false,
      tooltip: {
        formatter: (p: { value: [number, number, number] }) =>
          t('risk.heatTooltip', { likelihood: p.value[1] + 1, impact: p.value[0] + 1, count: p.value[2] }),
      },
      grid: { left: 70, right: 10, top: 10, bottom: 50 },
      xAxis: {
        type: 'category',
        data: RANGE.map(String),
        name: t('risk.impact'),
        nameLocation: 'middle',
        nameGap: 30,
        splitArea: { show: true },
      },
      yAxis: {
        type: 'category',
        data: RANGE.map(String),
        name: t('risk.likelihood'),
        nameLocation: 'middle',
        nameGap: 40,
        splitArea: { show: true },
      },
      series: [
        {
          type: 'heatmap',
          data,
          label: {
            show: true,
            fontSize: 16,
            fontWeight: 'bold',
            formatter: (p: { value: number[] }) => (p.value[2] ? String(p.value[2]) : ''),
          },
          emphasis: { itemStyle: { borderColor: '#333', borderWidth: 2 } },
        },
      ],
    };
  }, [map, selected, t]);
  const click = (e: ChartClick) => {
    const [i, l] = e.value as [number, number, number];
    onSelect({ likelihood: l + 1, impact: i + 1 });
  };
  return (
    <Suspense fallback={<Loader size="sm" />}>
      <EChartView option={option} height={340} onClick={click} testId="risk-heat-map" label={t('risk.heatMap')} />
    </Suspense>
  );
}
