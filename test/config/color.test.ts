/** The config's primary colour, kept readable on both palettes' surfaces (pure functions). */
import { expect } from '@open-wc/testing';
import {
  SURFACES,
  contrastRatio,
  mixHex,
  primaryColors,
  primaryProperties,
  withContrast,
} from '../../src/config/color.js';

describe('primary colour from the config', () => {
  it('mixes channel by channel', () => {
    expect(mixHex('#000000', '#ffffff', 0.5)).to.equal('#808080');
    expect(mixHex('#123456', '#000000', 0)).to.equal('#123456');
  });

  it('leaves a colour that already reads alone, and moves one that does not just far enough', () => {
    expect(withContrast('#1f4fd6', SURFACES.light, 4.5)).to.equal('#1f4fd6');
    const darkened = withContrast('#ffeb3b', SURFACES.light, 4.5);
    expect(contrastRatio(darkened, SURFACES.light)).to.be.at.least(4.5);
    // Still the store's hue, not plain black.
    expect(darkened).to.not.equal('#000000');
    const lightened = withContrast('#1f4fd6', SURFACES.dark, 4.5);
    expect(contrastRatio(lightened, SURFACES.dark)).to.be.at.least(4.5);
  });

  for (const wanted of ['#ffeb3b', '#ffffff', '#000000', '#777777', '#e91e63', '#1f4fd6', '#00ff00']) {
    for (const theme of ['light', 'dark'] as const) {
      it(`keeps ${wanted} usable on the ${theme} surface`, () => {
        const c = primaryColors(wanted, SURFACES[theme]);
        expect(contrastRatio(c.onPrimary, c.primary), 'button text').to.be.at.least(4.5);
        expect(contrastRatio(c.primary, SURFACES[theme]), 'button against the card').to.be.at.least(3);
        expect(contrastRatio(c.link, SURFACES[theme]), 'links').to.be.at.least(4.5);
      });
    }
  }

  it('sets both palettes from look_and_feel.primary_color, and nothing without a valid one', () => {
    const props = primaryProperties({ primary_color: '#E91E63' });
    const dark = primaryColors('#e91e63', SURFACES.dark);
    expect(props['--_config-primary']).to.equal(`light-dark(#e91e63, ${dark.primary})`);
    expect(props['--_config-link']).to.match(/^light-dark\(#[0-9a-f]{6}, #[0-9a-f]{6}\)$/);
    expect(Object.keys(props)).to.deep.equal(['--_config-primary', '--_config-on-primary', '--_config-link']);
    expect(primaryProperties({ background_color: '#F5F5F5' })).to.deep.equal({});
    expect(primaryProperties({ primary_color: 'red; background: url(x)' })).to.deep.equal({});
    expect(primaryProperties(undefined)).to.deep.equal({});
  });
});
