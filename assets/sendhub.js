// sendhub.js: initialises GOV.UK Frontend's enhancements. Every page works
// without it. Loaded as <script type="module" src="/assets/sendhub.js">, so
// only browsers that support modules (and GOV.UK Frontend) run it.
import { initAll } from '/assets/govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
