"""The background worker shell: ``assistant worker`` runs RQ jobs and sweeps stuck documents."""
