// The packaged extension loads in real VS Code and its command runs from the palette.
'use strict';

module.exports = [
  {
    name: 'Redline activates and "Redline: Show Log" shows its output',
    async run({ driver }) {
      await driver.runCommand('Redline: Show Log');
      await driver.waitForOutput('Redline activated');
      await driver.waitForText('Redline', { selector: '.part.panel .composite.title' });
    },
  },
];
