import { expect } from '@open-wc/testing';
import { fitGrid } from '../../src/core/grid-fit.js';

const wide = { aspect: 16 / 9, gap: 8 };

describe('fitGrid', () => {
  it('fills a 16:9 box with one tile', () => {
    const fit = fitGrid(1, 1600, 900, wide);
    expect(fit).to.deep.equal({ columns: 1, rows: 1, tileWidth: 1600 });
  });

  it('puts two tiles side by side in a wide box and stacks them in a tall one', () => {
    expect(fitGrid(2, 1600, 500, wide).columns).to.equal(2);
    expect(fitGrid(2, 360, 640, wide).columns).to.equal(1);
  });

  it('chooses the grid with the largest tiles for 1–6 participants in a 16:9 box', () => {
    const columns = [1, 2, 3, 4, 5, 6].map((n) => fitGrid(n, 1280, 720, wide).columns);
    expect(columns).to.deep.equal([1, 2, 2, 2, 3, 3]);
  });

  it('never makes a tile wider than the box or taller than its rows allow', () => {
    for (let n = 1; n <= 6; n++) {
      for (const [w, h] of [
        [1280, 720],
        [360, 640],
        [800, 300],
        [300, 900],
      ]) {
        const { columns, rows, tileWidth } = fitGrid(n, w, h, wide);
        expect(columns * rows).to.be.at.least(n);
        expect(columns * tileWidth + (columns - 1) * 8).to.be.at.most(w + 0.01);
        expect(rows * (tileWidth / wide.aspect) + (rows - 1) * 8).to.be.at.most(h + 0.01);
      }
    }
  });

  it('stacks instead of making tiles narrower than the minimum, and then lets the stage scroll', () => {
    const fit = fitGrid(6, 352, 500, { ...wide, minTileWidth: 220 });
    expect(fit.columns).to.equal(1);
    expect(fit.tileWidth).to.equal(220);
    // Without the minimum the same box takes two columns of smaller tiles.
    expect(fitGrid(6, 352, 500, wide).columns).to.equal(2);
  });

  it('uses the whole width when the box is narrower than the minimum', () => {
    expect(fitGrid(2, 180, 400, { ...wide, minTileWidth: 220 })).to.deep.equal({ columns: 1, rows: 2, tileWidth: 180 });
  });
});
